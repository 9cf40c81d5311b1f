package io.runnel.broker.replica;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The broker's incremental fetch sessions ({@code max.incremental.fetch.session.cache.slots}); when
 * full, the least recently used session is evicted and its client falls back to a full fetch.
 */
public final class FetchSessionCache {
    private final int maxSessions;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public FetchSessionCache(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** A new session, or null when sessions are disabled (no slots). */
    public synchronized FetchSession create() {
        if (maxSessions <= 0) {
            return null;
        }
        if (sessions.size() >= maxSessions) {
            Map.Entry<Integer, FetchSession> eldest = sessions.entrySet().iterator().next();
            sessions.remove(eldest.getKey());
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id);
        sessions.put(id, session);
        return session;
    }

    public synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    public synchronized void remove(int id) {
        sessions.remove(id);
    }
}
