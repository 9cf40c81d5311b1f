package io.runnel.it.wire;

/**
 * One valid request frame (header and body, without the size prefix) that the fuzzer mutates. {@code recordsStart}
 * and {@code recordsEnd} bound the record batches inside a Produce frame; both are -1 for frames without records.
 */
public record SeedFrame(short apiKey, short apiVersion, String label, byte[] bytes, int recordsStart, int recordsEnd) {
    public boolean hasRecords() {
        return recordsStart >= 0;
    }
}
