package io.runnel.broker.replica;

import java.util.Arrays;

/**
 * A leader's view of the ISR: the one the controller committed (with its partition epoch), and while an
 * AlterPartition is in flight the maximal ISR (the union of the old and the proposed one, KIP-497), which is the
 * set the high watermark and min.insync.replicas count.
 */
record IsrState(int[] isr, int[] maximalIsr, int partitionEpoch, boolean pending) {

    static IsrState committed(int[] isr, int partitionEpoch) {
        return new IsrState(isr, isr, partitionEpoch, false);
    }

    IsrState pending(int[] proposed) {
        int[] union = Arrays.copyOf(isr, isr.length + proposed.length);
        int size = isr.length;
        for (int id : proposed) {
            if (!contains(union, size, id)) {
                union[size++] = id;
            }
        }
        return new IsrState(isr, Arrays.copyOf(union, size), partitionEpoch, true);
    }

    boolean inIsr(int brokerId) {
        return contains(isr, isr.length, brokerId);
    }

    private static boolean contains(int[] ids, int length, int id) {
        for (int i = 0; i < length; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }
}
