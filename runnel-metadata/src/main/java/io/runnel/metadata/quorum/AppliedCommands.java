package io.runnel.metadata.quorum;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ids of the last {@link #WINDOW} commands applied, with the answers they carry, in log order: every member
 * holds the same window, so each recognises a command committed twice alike, and the active controller answers a
 * retried request with its first answer. Not part of snapshots: a member restarted from a snapshot starts an
 * empty window. Thread-safe: the apply thread adds while requests look answers up.
 */
final class AppliedCommands {
    /** Far more commands than a client retries across: a retry comes within seconds, at most a few per second. */
    static final int WINDOW = 10_000;

    private final Map<UUID, byte[]> answers = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, byte[]> eldest) {
            return size() > WINDOW;
        }
    };

    /** Remembers {@code command}; false when a command with its id was applied already. */
    synchronized boolean add(MetadataCommand command) {
        return answers.putIfAbsent(command.id(), command.answer()) == null;
    }

    /** The answer request {@code id} was given, or null when no command of the window carried it out. */
    synchronized byte[] answer(UUID id) {
        byte[] answer = answers.get(id);
        return answer == null || answer.length == 0 ? null : answer;
    }
}
