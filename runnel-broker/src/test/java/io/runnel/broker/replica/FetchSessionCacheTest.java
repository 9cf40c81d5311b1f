package io.runnel.broker.replica;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetchSessionCacheTest {
    @Test
    void evictsTheLeastRecentlyUsedSessionWhenFull() {
        FetchSessionCache cache = new FetchSessionCache(2);
        FetchSession first = cache.create();
        FetchSession second = cache.create();
        assertNotEquals(first.id(), second.id());
        assertSame(first, cache.get(first.id()));      // first is now the most recently used
        FetchSession third = cache.create();
        assertNull(cache.get(second.id()));
        assertSame(first, cache.get(first.id()));
        assertSame(third, cache.get(third.id()));
    }

    @Test
    void noSlotsMeansNoSessions() {
        assertNull(new FetchSessionCache(0).create());
    }

    @Test
    void epochsAdvanceFromOne() {
        FetchSession session = new FetchSessionCache(1).create();
        assertEquals(1, session.nextEpoch());
        session.advanceEpoch();
        assertEquals(2, session.nextEpoch());
    }

    @Test
    void aPartitionIsReportedChangedOnlyWhenWhatTheClientKnowsChanges() {
        FetchSession session = new FetchSessionCache(1).create();
        FetchSession.Key key = new FetchSession.Key(Uuid.randomUuid(), null, 0);
        session.upsert(key, 0, 1024, -1);
        FetchSession.CachedPartition cached = session.partitions().iterator().next();
        assertTrue(cached.updateAndCheckChanged(10, 10, 0));
        assertFalse(cached.updateAndCheckChanged(10, 10, 0));
        assertTrue(cached.updateAndCheckChanged(11, 11, 0));
        session.forget(key);
        assertEquals(0, session.size());
    }
}
