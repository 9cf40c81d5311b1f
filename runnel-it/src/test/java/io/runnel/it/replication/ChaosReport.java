package io.runnel.it.replication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The totals of a fault campaign, as printed and written to target/chaos-report.txt. */
record ChaosReport(long seed, int rounds, int roundsPlanned, Map<Faults.Kind, Integer> faults, long sent,
                   long acknowledged, long failed, long read, long lost, long duplicated, long outOfOrder,
                   long unacknowledgedPresent, List<Integer> divergentPartitions, double secondsPerRound,
                   String outcome) {

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("seed: " + seed + " (replay with -Drunnel.chaos.seed=" + seed + ")");
        lines.add("rounds: " + rounds + " of " + roundsPlanned);
        faults.forEach((kind, count) -> lines.add("faults " + kind + ": " + count));
        lines.add("sent: " + sent);
        lines.add("acknowledged: " + acknowledged);
        lines.add("failed (given up by the producer): " + failed);
        lines.add("read: " + read);
        lines.add("lost (acknowledged, not read): " + lost);
        lines.add("duplicated (read more than once): " + duplicated);
        lines.add("out of order: " + outOfOrder);
        lines.add("unacknowledged but present: " + unacknowledgedPresent);
        lines.add("partitions whose replica logs differ below the high watermark: " + divergentPartitions);
        lines.add(String.format("seconds per round: %.1f", secondsPerRound));
        lines.add("outcome: " + outcome);
        return lines;
    }

    void write(Path file) throws IOException {
        Files.write(file, lines());
    }
}
