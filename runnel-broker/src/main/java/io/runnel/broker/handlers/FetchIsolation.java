package io.runnel.broker.handlers;

import io.runnel.storage.AbortedTxn;
import io.runnel.storage.LogSlice;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.message.FetchResponseData;

import java.util.ArrayList;
import java.util.List;

/** What a fetch may see of a partition, by who fetches (a follower or a consumer) and the consumer's isolation level. */
final class FetchIsolation {
    private FetchIsolation() {
    }

    /**
     * How far a fetch may read: a follower up to the log end; a consumer only what the ISR has (below the high
     * watermark), and with read_committed only below the last stable offset (no open transaction's records).
     */
    static long readBound(PartitionLog log, boolean follower, boolean readCommitted) {
        if (follower) {
            return log.logEndOffset();
        }
        return readCommitted ? log.lastStableOffset() : log.highWatermark();
    }

    /**
     * The aborted transactions overlapping what a read_committed fetch returns (from {@code fetchOffset} to at most
     * {@code bound}), whose records the consumer skips; none when it returns nothing, as Kafka.
     */
    static List<FetchResponseData.AbortedTransaction> abortedTransactions(PartitionLog log, long fetchOffset,
                                                                          LogSlice slice, long bound) {
        List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
        if (slice.size() > 0) {
            for (AbortedTxn txn : log.abortedTransactions(fetchOffset, bound)) {
                aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                        .setFirstOffset(txn.firstOffset()));
            }
        }
        return aborted;
    }
}
