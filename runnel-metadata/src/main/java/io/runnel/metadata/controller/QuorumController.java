package io.runnel.metadata.controller;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.TopicResult;
import io.runnel.metadata.config.TopicConfigDef;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.QuorumMemberRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.ScramCredentialRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller logic: validates each operation against the current image, decides ids and placement, and
 * writes the resulting records as one log entry. Operations run one at a time on a single controller thread,
 * each after the previous one's entry is applied, so validation always sees the effects of earlier writes.
 */
public final class QuorumController implements Controller, AutoCloseable {
    private final MetadataLog log;
    private final int defaultNumPartitions;
    private final short defaultReplicationFactor;
    private final EligibleLeaders eligibleLeaders;
    private final long operationTimeoutMs;
    private final ExecutorService thread;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** The request whose operation {@link #forRequest} is submitting, read by submit. Guarded by {@code this}. */
    private RequestTag submitting;

    private final BrokerSessions sessions;
    /**
     * Kafka's bound on the partitions one CreateTopics request may create, applied to CreatePartitions as well: the
     * controller builds every partition's record in memory before it appends them.
     */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

    /**
     * {@code sessionTimeoutMs} is {@code broker.session.timeout.ms}; {@code nanoClock} measures broker sessions
     * (System::nanoTime outside tests).
     */
    public QuorumController(MetadataLog log, int defaultNumPartitions, short defaultReplicationFactor,
                            int defaultMinInsyncReplicas, long operationTimeoutMs, long sessionTimeoutMs,
                            LongSupplier nanoClock) {
        this.log = log;
        this.sessions = new BrokerSessions(sessionTimeoutMs, nanoClock);
        this.defaultNumPartitions = defaultNumPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.eligibleLeaders = new EligibleLeaders(defaultMinInsyncReplicas);
        this.operationTimeoutMs = operationTimeoutMs;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runnel-controller");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<BrokerRegistrationResponseData> registerBroker(BrokerRegistrationRequestData request) {
        return submit(image -> BrokerLifecycle.register(image, eligibleLeaders, request, sessions));
    }

    @Override
    public CompletableFuture<BrokerHeartbeatResponseData> brokerHeartbeat(BrokerHeartbeatRequestData request) {
        return submit(image -> BrokerLifecycle.heartbeat(image, eligibleLeaders, request, sessions));
    }

    @Override
    public CompletableFuture<AlterPartitionResponseData> alterPartition(AlterPartitionRequestData request) {
        return submit(image -> AlterPartitions.alter(image, eligibleLeaders, request));
    }

    @Override
    public CompletableFuture<AssignReplicasToDirsResponseData> assignReplicasToDirs(
            AssignReplicasToDirsRequestData request) {
        return submit(image -> LostReplicas.assign(image, eligibleLeaders, request));
    }

    /**
     * Fences the first broker whose session expired, moving its leaderships; completes with its id, or -1 when
     * none expired. On a node that is not the active controller it fails and forgets every session, so a
     * controller that takes over starts every session afresh.
     */
    public CompletableFuture<Integer> fenceExpiredBroker() {
        return submit(image -> {
            OptionalInt expired = sessions.firstExpired(image);
            if (expired.isEmpty()) {
                return Outcome.of(-1);
            }
            List<MetadataRecord> records = new ArrayList<>();
            BrokerLifecycle.fence(image, eligibleLeaders, image.brokers().get(expired.getAsInt()), records);
            return new Outcome<>(records, expired.getAsInt());
        }).whenComplete((fenced, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NotControllerException) {
                sessions.clear();
            }
        });
    }

    @Override
    public CompletableFuture<List<TopicResult>> createTopics(List<CreateTopicSpec> specs, boolean validateOnly) {
        return submit(image -> withoutRecordsIf(validateOnly, createTopics(image, specs)));
    }

    @Override
    public CompletableFuture<List<TopicResult>> deleteTopics(List<String> names, List<Uuid> ids) {
        return submit(image -> deleteTopics(image, names, ids));
    }

    @Override
    public CompletableFuture<List<TopicResult>> createPartitions(List<CreatePartitionsSpec> specs, boolean validateOnly) {
        return submit(image -> withoutRecordsIf(validateOnly, createPartitions(image, specs)));
    }

    @Override
    public CompletableFuture<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigChange>> changes,
                                                                         boolean validateOnly) {
        return submit(image -> withoutRecordsIf(validateOnly, alterConfigs(changes,
                (resource, records) -> ConfigAlterations.incremental(image, resource, changes.get(resource), records))));
    }

    @Override
    public CompletableFuture<List<ConfigResult>> replaceConfigs(Map<ConfigResource, Map<String, String>> configs,
                                                                boolean validateOnly) {
        return submit(image -> withoutRecordsIf(validateOnly, alterConfigs(configs,
                (resource, records) -> ConfigAlterations.replace(image, resource, configs.get(resource), records))));
    }

    /** One result per resource; a resource that fails validation adds no records, the others still apply. */
    private static Outcome<List<ConfigResult>> alterConfigs(Map<ConfigResource, ?> resources,
            BiFunction<ConfigResource, List<MetadataRecord>, ConfigResult> alter) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ConfigResult> results = new ArrayList<>(resources.size());
        for (ConfigResource resource : resources.keySet()) {
            results.add(alter.apply(resource, records));
        }
        return new Outcome<>(records, results);
    }

    /**
     * Records that node {@code nodeId} follows the metadata log from directory {@code directoryId}; nothing when the
     * image already says so (a restart).
     */
    public CompletableFuture<Void> registerQuorumMember(int nodeId, Uuid directoryId) {
        return submit(image -> directoryId.equals(image.quorumDirectories().get(nodeId)) ? Outcome.<Void>of(null)
                : new Outcome<>(List.of(new QuorumMemberRecord(nodeId, directoryId)), null));
    }

    @Override
    public CompletableFuture<Void> unregisterBroker(int brokerId) {
        return submit(image -> BrokerLifecycle.unregister(image, eligibleLeaders, brokerId));
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> electLeaders(ElectLeadersRequestData request) {
        return submit(image -> LeaderElections.elect(image, eligibleLeaders, request));
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> alterPartitionReassignments(
            AlterPartitionReassignmentsRequestData request) {
        return submit(image -> PartitionReassignments.alter(image, eligibleLeaders, request));
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> listPartitionReassignments(
            ListPartitionReassignmentsRequestData request) {
        return submit(image -> Outcome.of(PartitionReassignments.list(image, request)));
    }

    /**
     * Moves leaderships back to preferred replicas (see {@link LeaderElections#balance}); completes with the number
     * of partitions moved. Fails on a node that is not the active controller.
     */
    public CompletableFuture<Integer> balanceLeaders() {
        return submit(image -> LeaderElections.balance(image, eligibleLeaders));
    }

    @Override
    public CompletableFuture<List<ScramCredentialResult>> alterScramCredentials(List<ScramCredentialRecord> changes) {
        return submit(image -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<ScramCredentialResult> results = new ArrayList<>(changes.size());
            for (ScramCredentialRecord change : changes) {
                if (change.credential() == null && !image.scramCredentials(change.user()).containsKey(change.mechanism())) {
                    results.add(new ScramCredentialResult(change.user(), change.mechanism(), Errors.RESOURCE_NOT_FOUND,
                            "Attempt to delete a user credential that does not exist"));
                } else {
                    records.add(change);
                    results.add(new ScramCredentialResult(change.user(), change.mechanism(), Errors.NONE, null));
                }
            }
            return new Outcome<>(records, results);
        });
    }

    @Override
    public CompletableFuture<AlterClientQuotasResponseData> alterClientQuotas(AlterClientQuotasRequestData request) {
        return submit(image -> ClientQuotaAlterations.alter(image, request));
    }

    @Override
    public CompletableFuture<List<AclResult>> createAcls(List<AclBinding> bindings) {
        return submit(image -> AclChanges.create(image, bindings));
    }

    @Override
    public CompletableFuture<List<AclResult>> deleteAcls(List<AclBindingFilter> filters) {
        return submit(image -> AclChanges.delete(image, filters));
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) {
        if (count <= 0) {
            return CompletableFuture.failedFuture(new InvalidRequestException("Producer id block size must be positive"));
        }
        return submit(image -> {
            long first = image.nextProducerId();
            return new Outcome<>(List.of(new ProducerIdsRecord(brokerId, first + count)), first);
        });
    }

    /** A request's id and how its result is encoded as the answer its entry records. */
    public record RequestTag(UUID requestId, Function<Object, byte[]> answer) {
    }

    /**
     * Submits the operation {@code call} starts on this controller as request {@code tag}: the entry its records
     * are written in also carries the request id and the encoded answer.
     */
    public <T> CompletableFuture<T> forRequest(RequestTag tag, Supplier<CompletableFuture<T>> call) {
        synchronized (this) {
            submitting = tag;
            try {
                return call.get();
            } finally {
                submitting = null;
            }
        }
    }

    /** Stops taking operations; queued ones fail with {@code NotControllerException}. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    private <T> CompletableFuture<T> submit(Function<MetadataImage, Outcome<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            RequestTag tag = submitting;
            // Everything touching the log runs on the controller thread, never on the caller's (e.g. an event loop).
            tail = tail.thenComposeAsync(ignored -> log.currentImage(), thread)
                    .thenApplyAsync(operation, thread)
                    .thenCompose(outcome -> outcome.records().isEmpty()
                            ? CompletableFuture.completedFuture(outcome.result())
                            : log.write(outcome.records(), tag == null ? null
                                    : new RequestAnswer(tag.requestId(), tag.answer().apply(outcome.result())))
                            .thenApply(ignored -> outcome.result()))
                    .handle((value, error) -> {
                        if (error == null) {
                            result.complete(value);
                        } else {
                            result.completeExceptionally(quorumError(error));
                        }
                        return null;
                    });
        }
        // The queue keeps waiting for a slow write (so order holds); only the caller stops waiting.
        return result.orTimeout(operationTimeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.TimeoutException) {
                cause = new TimeoutException("The metadata quorum did not commit the operation within "
                        + operationTimeoutMs + " ms");
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static Throwable quorumError(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.util.concurrent.RejectedExecutionException) {
            return new NotControllerException("The controller is shutting down");
        }
        return cause;
    }

    /** Kafka's answer when one request would add more than {@link #MAX_PARTITIONS_PER_REQUEST} partitions. */
    private static TopicResult tooManyPartitions(String name, Uuid id) {
        return TopicResult.failure(name, id, Errors.POLICY_VIOLATION, "Excessively large number of partitions per request.");
    }

    private static <T> Outcome<T> withoutRecordsIf(boolean validateOnly, Outcome<T> outcome) {
        return validateOnly ? new Outcome<>(List.of(), outcome.result()) : outcome;
    }

    private Outcome<List<TopicResult>> createTopics(MetadataImage image, List<CreateTopicSpec> specs) {
        long total = 0;
        for (CreateTopicSpec spec : specs) {
            if (!spec.assignments().isEmpty()) {
                total += spec.assignments().size();
            } else {
                total += spec.numPartitions() == -1 ? defaultNumPartitions : Math.max(0, spec.numPartitions());
            }
        }
        if (total > MAX_PARTITIONS_PER_REQUEST) {
            return new Outcome<>(List.of(), specs.stream().map(s -> tooManyPartitions(s.name(), null)).toList());
        }
        Map<String, Integer> requested = new HashMap<>();
        specs.forEach(s -> requested.merge(s.name(), 1, Integer::sum));
        Set<String> collisionKeys = new HashSet<>();
        image.topicsByName().keySet().forEach(n -> collisionKeys.add(TopicNames.collisionKey(n)));
        ReplicaPlacer placer = new ReplicaPlacer(image.brokers());
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>(specs.size());
        for (CreateTopicSpec spec : specs) {
            TopicResult result = createTopic(image, spec, requested, collisionKeys, placer, records);
            results.add(result);
        }
        return new Outcome<>(records, results);
    }

    private TopicResult createTopic(MetadataImage image, CreateTopicSpec spec, Map<String, Integer> requested,
                                    Set<String> collisionKeys, ReplicaPlacer placer, List<MetadataRecord> records) {
        String name = spec.name();
        String invalidName = TopicNames.invalidReason(name);
        if (invalidName != null) {
            return TopicResult.failure(name, null, Errors.INVALID_TOPIC_EXCEPTION, invalidName);
        }
        if (requested.get(name) > 1) {
            return TopicResult.failure(name, null, Errors.INVALID_REQUEST, "Duplicate topic name " + name + " in the request.");
        }
        if (image.topicsByName().containsKey(name)) {
            return TopicResult.failure(name, null, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (collisionKeys.contains(TopicNames.collisionKey(name))) {
            return TopicResult.failure(name, null, Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                    + "' collides with an existing topic: names may not differ only in '.' versus '_'.");
        }
        List<int[]> placement;
        if (!spec.assignments().isEmpty()) {
            if (spec.numPartitions() != -1 || spec.replicationFactor() != -1) {
                return TopicResult.failure(name, null, Errors.INVALID_REQUEST, "Both numPartitions or "
                        + "replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            Map<Integer, List<Integer>> assignments = new TreeMap<>(spec.assignments());
            int expected = 0;
            placement = new ArrayList<>(assignments.size());
            for (Map.Entry<Integer, List<Integer>> e : assignments.entrySet()) {
                if (e.getKey() != expected++) {
                    return TopicResult.failure(name, null, Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions should be a consecutive 0-based integer sequence, but got " + assignments.keySet());
                }
                String invalid = ReplicaPlacer.invalidAssignment(e.getKey(), e.getValue(), image.brokers());
                if (invalid != null) {
                    return TopicResult.failure(name, null, Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
                placement.add(ReplicaPlacer.toArray(e.getValue()));
            }
        } else {
            int partitions = spec.numPartitions() == -1 ? defaultNumPartitions : spec.numPartitions();
            if (partitions <= 0) {
                return TopicResult.failure(name, null, Errors.INVALID_PARTITIONS,
                        "Number of partitions was set to an invalid non-positive value.");
            }
            short rf = spec.replicationFactor() == -1 ? defaultReplicationFactor : spec.replicationFactor();
            if (rf <= 0) {
                return TopicResult.failure(name, null, Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value.");
            }
            if (rf > placer.usableBrokers()) {
                return TopicResult.failure(name, null, Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the "
                        + "partition " + rf + " time(s): The target replication factor of " + rf
                        + " cannot be reached because only " + placer.usableBrokers() + " broker(s) are registered.");
            }
            placement = placer.place(0, partitions, rf, ThreadLocalRandom.current().nextInt(placer.usableBrokers()));
        }
        Optional<InvalidConfigurationException> badConfig = TopicConfigDef.validate(spec.configs());
        if (badConfig.isPresent()) {
            return TopicResult.failure(name, null, Errors.INVALID_CONFIG, badConfig.get().getMessage());
        }
        Uuid id = newTopicId(image);
        collisionKeys.add(TopicNames.collisionKey(name));
        records.add(new TopicRecord(name, id));
        addPartitionRecords(records, id, 0, placement);
        new TreeMap<>(spec.configs()).forEach((k, v) -> records.add(new ConfigRecord(ConfigResource.Type.TOPIC, name, k, v)));
        return new TopicResult(name, id, Errors.NONE, null, placement.size(), (short) placement.get(0).length,
                Map.copyOf(spec.configs()));
    }

    private static Uuid newTopicId(MetadataImage image) {
        Uuid id = Uuid.randomUuid();
        while (image.topicsById().containsKey(id)) {
            id = Uuid.randomUuid();
        }
        return id;
    }

    private static void addPartitionRecords(List<MetadataRecord> records, Uuid topicId, int firstPartition,
                                            List<int[]> placement) {
        for (int i = 0; i < placement.size(); i++) {
            int[] replicas = placement.get(i);
            records.add(new PartitionRecord(topicId, firstPartition + i,
                    new PartitionRegistration(replicas, replicas.clone(), replicas[0], 0, 0)));
        }
    }

    private static Outcome<List<TopicResult>> deleteTopics(MetadataImage image, List<String> names, List<Uuid> ids) {
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>(names.size() + ids.size());
        Set<Uuid> removed = new HashSet<>();
        for (String name : names) {
            TopicImage topic = image.topicsByName().get(name);
            if (topic == null) {
                results.add(TopicResult.failure(name, null, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "This server does not host this topic-partition."));
            } else {
                results.add(deleted(topic, removed, records));
            }
        }
        for (Uuid id : ids) {
            TopicImage topic = image.topicsById().get(id);
            if (topic == null) {
                results.add(TopicResult.failure(null, id, Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID."));
            } else {
                results.add(deleted(topic, removed, records));
            }
        }
        return new Outcome<>(records, results);
    }

    private static TopicResult deleted(TopicImage topic, Set<Uuid> removed, List<MetadataRecord> records) {
        if (removed.add(topic.id())) {
            records.add(new RemoveTopicRecord(topic.id()));
        }
        return new TopicResult(topic.name(), topic.id(), Errors.NONE, null, topic.partitions().size(),
                (short) -1, Map.of());
    }

    private static Outcome<List<TopicResult>> createPartitions(MetadataImage image, List<CreatePartitionsSpec> specs) {
        long added = 0;
        for (CreatePartitionsSpec spec : specs) {
            TopicImage topic = image.topicsByName().get(spec.topic());
            added += topic == null ? 0 : Math.max(0, spec.totalCount() - topic.partitions().size());
        }
        if (added > MAX_PARTITIONS_PER_REQUEST) {
            return new Outcome<>(List.of(), specs.stream().map(s -> {
                TopicImage topic = image.topicsByName().get(s.topic());
                return tooManyPartitions(s.topic(), topic == null ? null : topic.id());
            }).toList());
        }
        Map<String, Integer> requested = new HashMap<>();
        specs.forEach(s -> requested.merge(s.topic(), 1, Integer::sum));
        ReplicaPlacer placer = new ReplicaPlacer(image.brokers());
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>(specs.size());
        for (CreatePartitionsSpec spec : specs) {
            results.add(createPartitions(image, spec, requested, placer, records));
        }
        return new Outcome<>(records, results);
    }

    private static TopicResult createPartitions(MetadataImage image, CreatePartitionsSpec spec,
                                                Map<String, Integer> requested, ReplicaPlacer placer,
                                                List<MetadataRecord> records) {
        String name = spec.topic();
        if (requested.get(name) > 1) {
            return TopicResult.failure(name, null, Errors.INVALID_REQUEST, "Duplicate topic name " + name + " in the request.");
        }
        TopicImage topic = image.topicsByName().get(name);
        if (topic == null) {
            return TopicResult.failure(name, null, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        int current = topic.partitions().size();
        if (spec.totalCount() < current) {
            return TopicResult.failure(name, topic.id(), Errors.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + spec.totalCount() + ".");
        }
        if (spec.totalCount() == current) {
            return TopicResult.failure(name, topic.id(), Errors.INVALID_PARTITIONS,
                    "Topic already has " + current + " partitions.");
        }
        int added = spec.totalCount() - current;
        List<int[]> placement;
        if (spec.assignments() != null) {
            if (spec.assignments().size() != added) {
                return TopicResult.failure(name, topic.id(), Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add "
                        + added + " additional partition(s), but only " + spec.assignments().size()
                        + " assignment(s) were specified.");
            }
            placement = new ArrayList<>(added);
            for (int i = 0; i < added; i++) {
                List<Integer> replicas = spec.assignments().get(i);
                String invalid = ReplicaPlacer.invalidAssignment(current + i, replicas, image.brokers());
                if (invalid != null) {
                    return TopicResult.failure(name, topic.id(), Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
                placement.add(ReplicaPlacer.toArray(replicas));
            }
        } else {
            int rf = topic.partitions().get(0).replicas().length;
            if (rf > placer.usableBrokers()) {
                return TopicResult.failure(name, topic.id(), Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate "
                        + "the partition " + rf + " time(s): only " + placer.usableBrokers() + " broker(s) are registered.");
            }
            placement = placer.place(current, added, rf, ThreadLocalRandom.current().nextInt(placer.usableBrokers()));
        }
        addPartitionRecords(records, topic.id(), current, placement);
        return new TopicResult(name, topic.id(), Errors.NONE, null, spec.totalCount(),
                (short) placement.get(0).length, Map.of());
    }
}
