package io.runnel.tools;

import io.runnel.tools.TransactionsCommand.Failure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code runnel transactions find-hanging}, as kafka-transactions.sh finds them: the transactions open on the chosen
 * partitions for longer than the largest transaction timeout whose producer's transactional id is unknown to the
 * coordinators, or whose coordinator does not count the partition in the transaction (so it will never write the
 * partition's marker).
 */
@Command(name = "find-hanging", mixinStandardHelpOptions = true,
        description = "Find hanging transactions, on the partitions of a broker or of a topic.")
final class FindHangingTransactions extends TransactionsCommand.Subcommand {
    /** At most this many topics or partitions in one request, so that a large broker is searched in steps. */
    private static final int BATCH = 500;

    @Option(names = "--broker-id", paramLabel = "ID", description = "Broker id to search for hanging transactions.")
    Integer brokerId;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic name to limit the search to.")
    String topic;

    @Option(names = "--partition", paramLabel = "PARTITION", description = "Partition number (with --topic).")
    Integer partition;

    @Option(names = "--max-transaction-timeout", paramLabel = "MINUTES", defaultValue = "15",
            description = "Maximum transaction timeout in minutes, to limit the scope of the search (default 15).")
    int maxTransactionTimeoutMinutes;

    /** A transaction open on a partition. */
    private record OpenTransaction(TopicPartition partition, ProducerState producer) {
    }

    @Override
    void check() throws Failure {
        if (topic == null && brokerId == null) {
            throw new Failure("The `find-hanging` command requires either --topic or --broker-id to limit the scope "
                    + "of the search");
        }
        if (partition != null && topic == null) {
            throw new Failure("The --partition argument requires --topic to be provided");
        }
    }

    @Override
    void run(Admin admin, PrintWriter out) throws Failure, InterruptedException {
        List<OpenTransaction> open = openTransactions(admin, partitionsToSearch(admin));
        List<OpenTransaction> hanging = open.isEmpty() ? open : hanging(admin, open);
        long now = System.currentTimeMillis();
        Table table = new Table("Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch",
                "StartOffset", "LastTimestamp", "Duration(min)");
        for (OpenTransaction txn : hanging) {
            ProducerState p = txn.producer();
            table.row(txn.partition().topic(), txn.partition().partition(), p.producerId(), p.producerEpoch(),
                    p.coordinatorEpoch().orElse(-1), p.currentTransactionStartOffset().orElse(-1), p.lastTimestamp(),
                    TimeUnit.MILLISECONDS.toMinutes(now - p.lastTimestamp()));
        }
        table.printTabbed(out);
    }

    private List<TopicPartition> partitionsToSearch(Admin admin) throws Failure, InterruptedException {
        if (topic != null && partition != null) {
            return List.of(new TopicPartition(topic, partition));
        }
        List<String> topics;
        try {
            // internal topics too: __consumer_offsets takes transactional offset commits
            topics = topic != null ? List.of(topic)
                    : new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
        } catch (ExecutionException e) {
            throw new Failure("Failed to list topics", e);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (List<String> batch : batches(topics)) {
            Map<String, TopicDescription> descriptions;
            try {
                descriptions = admin.describeTopics(batch).allTopicNames().get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to describe " + batch.size() + " topics", e);
            }
            descriptions.forEach((name, description) -> description.partitions().stream()
                    .filter(p -> brokerId == null || p.replicas().stream().anyMatch(node -> node.id() == brokerId))
                    .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        }
        return partitions;
    }

    /** The transactions open for longer than --max-transaction-timeout, since their producer's last batch. */
    private List<OpenTransaction> openTransactions(Admin admin, List<TopicPartition> partitions)
            throws Failure, InterruptedException {
        long maxTimeoutMs = TimeUnit.MINUTES.toMillis(maxTransactionTimeoutMinutes);
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        List<OpenTransaction> open = new ArrayList<>();
        for (List<TopicPartition> batch : batches(partitions)) {
            Map<TopicPartition, PartitionProducerState> states;
            try {
                states = admin.describeProducers(batch, options).all().get();
            } catch (ExecutionException e) {
                throw new Failure("Failed to describe producers for " + batch.size() + " partitions"
                        + (brokerId == null ? "" : " on broker " + brokerId), e);
            }
            long now = System.currentTimeMillis();
            states.forEach((tp, state) -> state.activeProducers().stream()
                    .filter(p -> p.currentTransactionStartOffset().isPresent()
                            && now - p.lastTimestamp() > maxTimeoutMs)
                    .forEach(p -> open.add(new OpenTransaction(tp, p))));
        }
        return open;
    }

    /** Those of {@code open} that no coordinator will end. */
    private static List<OpenTransaction> hanging(Admin admin, List<OpenTransaction> open)
            throws Failure, InterruptedException {
        Set<Long> producerIds = open.stream().map(txn -> txn.producer().producerId()).collect(Collectors.toSet());
        Map<Long, String> transactionalIds = new HashMap<>();
        try {
            for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions()
                    .filterProducerIds(producerIds)).all().get()) {
                if (producerIds.contains(listing.producerId())) {
                    transactionalIds.put(listing.producerId(), listing.transactionalId());
                }
            }
        } catch (ExecutionException e) {
            throw new Failure("Failed to list transactions for " + producerIds.size() + " producers", e);
        }
        Map<String, TransactionDescription> descriptions = describe(admin, Set.copyOf(transactionalIds.values()));
        return open.stream().filter(txn -> {
            TransactionDescription description = descriptions.get(transactionalIds.get(txn.producer().producerId()));
            return description == null || !description.topicPartitions().contains(txn.partition());
        }).toList();
    }

    /** The coordinators' view of each transactional id, absent for those they do not know. */
    private static Map<String, TransactionDescription> describe(Admin admin, Set<String> transactionalIds)
            throws Failure, InterruptedException {
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        if (transactionalIds.isEmpty()) {
            return descriptions;
        }
        DescribeTransactionsResult result = admin.describeTransactions(transactionalIds);
        for (String id : transactionalIds) {
            try {
                descriptions.put(id, result.description(id).get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                    throw new Failure("Failed to describe " + transactionalIds.size() + " transactions", e);
                }
            }
        }
        return descriptions;
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += BATCH) {
            batches.add(items.subList(from, Math.min(items.size(), from + BATCH)));
        }
        return batches;
    }
}
