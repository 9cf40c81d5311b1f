package io.runnel.broker.protocol;

import io.runnel.storage.LogSlice;
import io.netty.channel.FileRegion;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * A region of a log segment as the records of a fetch response. The response encoder sends it as a file region
 * (sendfile), so the record bytes never enter the JVM heap.
 */
public final class LogSliceRecords implements BaseRecords {
    private final LogSlice slice;

    private LogSliceRecords(LogSlice slice) {
        this.slice = slice;
    }

    /**
     * What a fetch handler puts into {@code FetchResponseData.PartitionData.setRecords(...)}; an empty slice
     * (e.g. {@code LogSlice.EMPTY}) gives empty records.
     */
    public static BaseRecords of(LogSlice slice) {
        return slice.size() == 0 ? MemoryRecords.EMPTY : new LogSliceRecords(slice);
    }

    @Override
    public int sizeInBytes() {
        return slice.size();
    }

    /** Kafka's own network layer is never used: the broker writes these records as a {@link #newRegion() region}. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("log slices are sent as Netty file regions");
    }

    FileRegion newRegion() {
        return new UnownedFileRegion(slice.channel(), slice.position(), slice.size());
    }

    @Override
    public String toString() {
        return "LogSliceRecords(position=" + slice.position() + ", size=" + slice.size() + ")";
    }
}
