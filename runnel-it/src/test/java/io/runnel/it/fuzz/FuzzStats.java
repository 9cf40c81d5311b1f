package io.runnel.it.fuzz;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/** What the broker did with the fuzzed frames, counted across all connections. */
final class FuzzStats {
    private static final int EXAMPLES = 10;

    /** Frames the broker received (each exactly once; frames written after a close are sent again). */
    final LongAdder frames = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder answeredWithError = new LongAdder();
    /** Frames followed by later answers without one of their own (Produce with acks=0). */
    final LongAdder unanswered = new LongAdder();
    /** Connections the broker closed after a frame. */
    final LongAdder closedByBroker = new LongAdder();
    /** Connections ended by a frame whose size prefix lies, after which the fuzzer closed its side. */
    final LongAdder sizePrefixEnded = new LongAdder();
    /** Requests the broker rightly held (a long poll, a rebalance) until the fuzzer gave up on them. */
    final LongAdder held = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder bytes = new LongAdder();
    /** Base offsets the broker acknowledged for Produce requests to the log topic. */
    final ConcurrentSkipListSet<Long> acknowledgedOffsets = new ConcurrentSkipListSet<>();
    /** Responses a client could not read at the version it asked for. */
    final LongAdder unreadable = new LongAdder();
    final List<String> unreadableExamples = new CopyOnWriteArrayList<>();

    void unreadable(String example) {
        unreadable.increment();
        if (unreadableExamples.size() < EXAMPLES) {
            unreadableExamples.add(example);
        }
    }

    String summary() {
        return "frames " + frames.sum() + " (" + bytes.sum() + " bytes), answered " + answered.sum()
                + " (with an error " + answeredWithError.sum() + "), unanswered acks=0 " + unanswered.sum()
                + ", connections closed by the broker " + closedByBroker.sum() + ", ended by a lying size prefix "
                + sizePrefixEnded.sum() + ", held requests given up " + held.sum() + ", connections "
                + connections.sum() + ", acknowledged produces to the log " + acknowledgedOffsets.size()
                + ", unreadable responses " + unreadable.sum();
    }
}
