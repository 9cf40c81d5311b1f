package io.runnel.tools;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code runnel transactions}: kafka-transactions.sh, which inspects the transactional state of producers and clears
 * hanging transactions, with its subcommands, flags, tab-separated tables and error messages.
 */
@Command(name = "transactions", mixinStandardHelpOptions = true,
        description = "Analyze the transactional state of producers in the cluster; detect and abort hanging "
                + "transactions.",
        subcommands = {TransactionsCommand.ListTransactions.class, TransactionsCommand.Describe.class,
                TransactionsCommand.DescribeProducers.class, TransactionsCommand.Abort.class,
                FindHangingTransactions.class, TransactionsCommand.ForceTerminate.class})
final class TransactionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command: one of " + spec.subcommands().keySet());
    }

    /** A failed step, reported as Kafka's tool does: its message, the cause's, on stderr, exit code 1. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }

        Failure(String message, Throwable cause) {
            super(message + ": " + unwrap(cause).getMessage() + ". Enable debug logging for additional detail.");
        }

        private static Throwable unwrap(Throwable t) {
            return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        }
    }

    /** One subcommand's work on the Admin client of the parent's connection options. */
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        TransactionsCommand parent;

        abstract void run(Admin admin, PrintWriter out) throws Failure, InterruptedException;

        /** Refuses a wrong combination of options before any connection. */
        void check() throws Failure {
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try {
                check();
                try (Admin admin = Admin.create(parent.connection.adminProperties())) {
                    run(admin, out);
                }
            } catch (Failure e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            } finally {
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List transactions.")
    static final class ListTransactions extends Subcommand {
        @Option(names = "--duration-filter", paramLabel = "MS", description = "Duration (in millis) to filter by: if "
                + "< 0, all transactions will be returned; otherwise, only transactions running longer than this "
                + "duration will be returned.")
        Long durationFilterMs;

        @Option(names = "--transactional-id-pattern", paramLabel = "REGEX",
                description = "Only the transactions whose transactional id matches this regular expression.")
        String transactionalIdPattern;

        @Override
        void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
            ListTransactionsOptions options = new ListTransactionsOptions();
            if (durationFilterMs != null) {
                options.filterOnDuration(durationFilterMs);
            }
            if (transactionalIdPattern != null) {
                options.filterOnTransactionalIdPattern(transactionalIdPattern);
            }
            Map<Integer, Collection<TransactionListing>> byCoordinator;
            try {
                byCoordinator = admin.listTransactions(options).allByBrokerId().get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to list transactions", e);
            }
            Table table = new Table("TransactionalId", "Coordinator", "ProducerId", "TransactionState");
            byCoordinator.forEach((coordinator, listings) -> listings.forEach(listing -> table.row(
                    listing.transactionalId(), coordinator, listing.producerId(), listing.state())));
            table.printTabbed(out);
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe the state of an active transactional-id.")
    static final class Describe extends Subcommand {
        @Option(names = "--transactional-id", required = true, paramLabel = "ID", description = "Transactional id.")
        String transactionalId;

        @Override
        void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
            TransactionDescription txn;
            try {
                txn = admin.describeTransactions(Set.of(transactionalId)).description(transactionalId).get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to describe transaction state of transactional-id `" + transactionalId + "`",
                        e);
            }
            OptionalLong start = txn.transactionStartTimeMs();
            new Table("CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
                    "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions")
                    .row(txn.coordinatorId(), transactionalId, txn.producerId(), txn.producerEpoch(), txn.state(),
                            txn.transactionTimeoutMs(), start.isPresent() ? start.getAsLong() : "None",
                            start.isPresent() ? System.currentTimeMillis() - start.getAsLong() : "None",
                            String.join(",", txn.topicPartitions().stream().map(TopicPartition::toString).toList()))
                    .printTabbed(out);
        }
    }

    @Command(name = "describe-producers", mixinStandardHelpOptions = true,
            description = "Describe the states of active producers for a topic partition.")
    static final class DescribeProducers extends Subcommand {
        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "PARTITION", description = "Partition number.")
        int partition;

        @Option(names = "--broker-id", paramLabel = "ID",
                description = "Describe the producer state on this replica rather than the leader.")
        Integer brokerId;

        @Override
        void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
            TopicPartition tp = new TopicPartition(topic, partition);
            DescribeProducersOptions options = new DescribeProducersOptions();
            if (brokerId != null) {
                options.brokerId(brokerId);
            }
            List<ProducerState> producers;
            try {
                producers = admin.describeProducers(List.of(tp), options).partitionResult(tp).get().activeProducers();
            } catch (ExecutionException e) {
                throw new Failure("Failed to describe producers for partition " + tp + " on "
                        + (brokerId == null ? "leader" : "broker " + brokerId), e);
            }
            Table table = new Table("ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence",
                    "LastTimestamp", "CurrentTransactionStartOffset");
            for (ProducerState p : producers) {
                OptionalLong start = p.currentTransactionStartOffset();
                table.row(p.producerId(), p.producerEpoch(), p.coordinatorEpoch().orElse(-1), p.lastSequence(),
                        p.lastTimestamp(), start.isPresent() ? start.getAsLong() : "None");
            }
            table.printTabbed(out);
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Abort a hanging transaction (requires administrative privileges): name it by --start-offset,"
                    + " or by --producer-id, --producer-epoch and --coordinator-epoch.")
    static final class Abort extends Subcommand {
        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "PARTITION", description = "Partition number.")
        int partition;

        @Option(names = "--start-offset", paramLabel = "OFFSET", description = "Start offset of the transaction.")
        Long startOffset;

        @Option(names = "--producer-id", paramLabel = "ID", description = "Producer id.")
        Long producerId;

        @Option(names = "--producer-epoch", paramLabel = "EPOCH", description = "Producer epoch.")
        Short producerEpoch;

        @Option(names = "--coordinator-epoch", paramLabel = "EPOCH", description = "Coordinator epoch.")
        Integer coordinatorEpoch;

        @Override
        void check() throws Failure {
            if (startOffset != null) {
                return;
            }
            if (producerId == null) {
                throw new Failure("The transaction to abort must be identified either with --start-offset (for "
                        + "brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch "
                        + "(for older brokers)");
            }
            if (producerEpoch == null) {
                throw new Failure("Missing required argument --producer-epoch");
            }
            if (coordinatorEpoch == null) {
                throw new Failure("Missing required argument --coordinator-epoch");
            }
        }

        @Override
        void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
            TopicPartition tp = new TopicPartition(topic, partition);
            // A producer that never saw a marker shows coordinator epoch -1: 0 is at most any real one.
            AbortTransactionSpec abort = startOffset != null ? findOpenTransaction(admin, tp)
                    : new AbortTransactionSpec(tp, producerId, producerEpoch, Math.max(0, coordinatorEpoch));
            try {
                admin.abortTransaction(abort).all().get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to abort transaction " + abort, e);
            }
        }

        private AbortTransactionSpec findOpenTransaction(Admin admin, TopicPartition tp)
                throws Failure, InterruptedException {
            List<ProducerState> producers;
            try {
                producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers();
            } catch (ExecutionException e) {
                throw new Failure("Failed to validate producer state for partition " + tp, e);
            }
            ProducerState open = producers.stream()
                    .filter(p -> p.currentTransactionStartOffset().orElse(-1) == startOffset)
                    .findFirst()
                    .orElseThrow(() -> new Failure("Could not find any open transactions starting at offset "
                            + startOffset + " on partition " + tp));
            return new AbortTransactionSpec(tp, open.producerId(), (short) open.producerEpoch(),
                    open.coordinatorEpoch().orElse(0));
        }
    }

    /**
     * Kafka's {@code forceTerminateTransaction} (KIP-939): fences the transactional id's producer through its
     * coordinator (InitProducerId, as {@code Admin.fenceProducers}), which aborts its open transaction.
     */
    @Command(name = "forceTerminateTransaction", aliases = "force-terminate", mixinStandardHelpOptions = true,
            description = "Force abort an ongoing transaction on a transactional id.")
    static final class ForceTerminate extends Subcommand {
        @Option(names = "--transactionalId", required = true, paramLabel = "ID",
                description = "Transactional id of the transaction to terminate.")
        String transactionalId;

        @Override
        void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
            try {
                admin.forceTerminateTransaction(transactionalId).result().get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to force terminate transactional-id `" + transactionalId + "`", e);
            }
        }
    }
}
