package io.runnel.broker.network;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadPausesTest {
    @Test
    void aConnectionReadsOnlyWhenNoReasonToPauseHolds() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ReadPauses pauses = new ReadPauses();
        pauses.set(channel, ReadPauses.MEMORY, true);
        assertFalse(channel.config().isAutoRead());
        pauses.set(channel, ReadPauses.RESPONSES, true);
        pauses.set(channel, ReadPauses.RESPONSES, false);
        assertFalse(channel.config().isAutoRead(), "responses were written, but the waiting frame still has no memory");
        pauses.set(channel, ReadPauses.MEMORY, false);
        assertTrue(channel.config().isAutoRead());
    }
}
