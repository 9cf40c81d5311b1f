package io.runnel.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.ReplicaNotAvailableException;

/**
 * The log directory moves of a reassignment file ({@code log_dirs} entries other than "any"), as
 * kafka-reassign-partitions.sh starts them after the reassignment (AlterReplicaLogDirs, retried while a replica is not
 * on its broker yet), reports them on --verify and cancels those under way on --cancel (moving each replica back to
 * the dir it is in, which abandons its copy).
 */
final class LogDirMoves {
    /** Kafka's tool's order: by broker, then topic, then partition. */
    static final Comparator<TopicPartitionReplica> ORDER = Comparator.comparingInt(TopicPartitionReplica::brokerId)
            .thenComparing(TopicPartitionReplica::topic).thenComparingInt(TopicPartitionReplica::partition);
    /** Kafka's tool's pause between attempts while replicas are still arriving at their brokers. */
    private static final long RETRY_BACKOFF_MS = 100;

    private LogDirMoves() {
    }

    /** Starts the moves, retrying those whose replica is not there yet until {@code timeoutMs}; the exit code. */
    static int start(Admin admin, Map<TopicPartitionReplica, String> moves, long timeoutMs, PrintWriter out)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Map<TopicPartitionReplica, String> pending = new LinkedHashMap<>(moves);
        while (true) {
            List<TopicPartitionReplica> started = new ArrayList<>();
            for (Map.Entry<TopicPartitionReplica, KafkaFuture<Void>> e : admin.alterReplicaLogDirs(pending).values()
                    .entrySet()) {
                try {
                    e.getValue().get();
                    started.add(e.getKey());
                } catch (ExecutionException failed) {
                    if (!(failed.getCause() instanceof ReplicaNotAvailableException)) {
                        out.println("Error: Failed to alter dir for " + e.getKey());
                        out.println(failed.getCause());
                        return 1;
                    }
                }
            }
            started.sort(ORDER);
            for (TopicPartitionReplica replica : started) {
                out.printf("Successfully started moving log directory to %s for replica %s-%s with broker %s %n",
                        pending.remove(replica), replica.topic(), replica.partition(), replica.brokerId());
            }
            if (pending.isEmpty()) {
                return 0;
            }
            if (System.currentTimeMillis() >= deadline) {
                out.printf("Timed out before log directory move%s could be started for: %s%n",
                        pending.size() == 1 ? "" : "s", String.join(",", pending.keySet().stream().sorted(ORDER)
                                .map(TopicPartitionReplica::toString).toList()));
                return 1;
            }
            TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF_MS);
        }
    }

    /** The moves of {@code moves} under way, each replica with the log dir it is still in. */
    static Map<TopicPartitionReplica, String> currentDirsOfActive(Admin admin, Map<TopicPartitionReplica, String> moves)
            throws Exception {
        Map<TopicPartitionReplica, String> active = new LinkedHashMap<>();
        describe(admin, moves).forEach((replica, info) -> {
            if (info.getCurrentReplicaLogDir() != null && info.getFutureReplicaLogDir() != null) {
                active.put(replica, info.getCurrentReplicaLogDir());
            }
        });
        return active;
    }

    private static Map<TopicPartitionReplica, ReplicaLogDirInfo> describe(Admin admin,
                                                                        Map<TopicPartitionReplica, String> moves)
            throws Exception {
        return moves.isEmpty() ? Map.of() : admin.describeReplicaLogDirs(moves.keySet()).all().get();
    }

    /**
     * Prints the state of each move as Kafka's tool does; returns whether any is still under way (a replica or log dir
     * that cannot be found has no move under way, as in Kafka).
     */
    static boolean verify(Admin admin, Map<TopicPartitionReplica, String> moves, PrintWriter out) throws Exception {
        Map<TopicPartitionReplica, ReplicaLogDirInfo> infos = describe(admin, moves);
        boolean ongoing = false;
        List<String> lines = new ArrayList<>();
        for (TopicPartitionReplica replica : moves.keySet().stream().sorted(ORDER).toList()) {
            String target = moves.get(replica);
            String partition = replica.topic() + "-" + replica.partition();
            ReplicaLogDirInfo info = infos.get(replica);
            if (info == null) {
                lines.add("Partition " + partition + " cannot be found in any live log directory on broker "
                        + replica.brokerId() + ".");
            } else if (info.getCurrentReplicaLogDir() == null) {
                lines.add("Partition " + partition + " is not found in any live log dir on broker "
                        + replica.brokerId() + ". There is likely an offline log directory on the broker.");
            } else if (info.getFutureReplicaLogDir() != null) {
                ongoing = true;
                lines.add(target.equals(info.getFutureReplicaLogDir())
                        ? "Reassignment of replica " + replica + " is still in progress."
                        : "Partition " + partition + " on broker " + replica.brokerId() + " is being moved to log dir "
                        + info.getFutureReplicaLogDir() + " instead of " + target + ".");
            } else if (target.equals(info.getCurrentReplicaLogDir())) {
                lines.add("Reassignment of replica " + replica + " completed successfully.");
            } else {
                lines.add("Partition " + partition + " on broker " + replica.brokerId() + " is not being moved from log "
                        + "dir " + info.getCurrentReplicaLogDir() + " to " + target + ".");
            }
        }
        out.println(String.join(System.lineSeparator(), lines));
        return ongoing;
    }
}
