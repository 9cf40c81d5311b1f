package io.runnel.bench;

import java.util.List;

/** Something measured against a freshly started broker. */
interface Workload {
    String name();

    /** Runs against {@code broker} and returns one measurement per figure set (e.g. produce, then consume). */
    List<Measurement> run(ClientTools tools, BrokerProcess broker, int repetition) throws Exception;
}
