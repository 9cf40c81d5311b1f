package io.runnel.broker.handlers;

import java.util.ArrayList;
import java.util.List;

/** Replica lists are int arrays in the metadata image and lists of Integer in Kafka's messages. */
final class Ints {
    private Ints() {
    }

    static List<Integer> toList(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }
}
