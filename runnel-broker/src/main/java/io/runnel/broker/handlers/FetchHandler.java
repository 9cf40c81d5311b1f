package io.runnel.broker.handlers;

import io.runnel.broker.metrics.BrokerTopicMetrics;
import io.runnel.broker.metrics.BrokerTopicMetrics.TopicMetrics;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.LogSliceRecords;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ClientQuotas;
import io.runnel.broker.replica.FetchPurgatory;
import io.runnel.broker.replica.FetchSession;
import io.runnel.broker.replica.FetchSession.CachedPartition;
import io.runnel.broker.replica.FetchSession.Key;
import io.runnel.broker.replica.FetchSessionCache;
import io.runnel.broker.replica.LogDivergence;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import io.runnel.storage.EpochEndOffset;
import io.runnel.storage.LogSlice;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fetch: reads each partition as a region of a segment file (sent zero-copy), within the request's
 * and each partition's byte limits, inside a KIP-227 session when the client keeps one; waits in the
 * purgatory while fewer than {@code fetch.min.bytes} are available.
 */
public final class FetchHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);
    /** Fetch v13 identifies topics by id instead of name. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;
    /** Sessions exist from Fetch v7 on. */
    private static final short FIRST_VERSION_WITH_SESSIONS = 7;
    private static final int FINAL_EPOCH = -1;
    /** Fetch v15 moved the replica id into ReplicaState, with the follower's broker epoch. */
    private static final short FIRST_VERSION_WITH_REPLICA_STATE = 15;
    /** Fetch v11 carries the consumer's rack and lets followers serve consumers (KIP-392). */
    private static final short FIRST_VERSION_FROM_FOLLOWERS = 11;
    /** Fetch v12 names the current leader with NOT_LEADER_OR_FOLLOWER, v16 its endpoint too (KIP-951). */
    private static final short FIRST_VERSION_WITH_LEADER_HINTS = 12;
    private static final short FIRST_VERSION_WITH_NODE_ENDPOINTS = 16;

    private final ReplicaManager replicas;
    private final FetchSessionCache sessions;
    private final FetchPurgatory purgatory;
    private final Authorization authorization;
    /** replica.selector.class: null when consumers always fetch from leaders. */
    private final ReplicaSelector selector;
    /** consumer_byte_rate; followers are not subject to it. */
    private final ClientQuotas quotas;
    private final BrokerTopicMetrics topicMetrics;
    /** The errors Kafka does not count as failed fetch requests: the client's view of the partition is stale. */
    private static final Set<Errors> NOT_FAILURES = EnumSet.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_LEADER_EPOCH, Errors.FENCED_LEADER_EPOCH,
            Errors.OFFSET_OUT_OF_RANGE, Errors.INCONSISTENT_TOPIC_ID, Errors.REPLICA_NOT_AVAILABLE,
            Errors.KAFKA_STORAGE_ERROR, Errors.UNKNOWN_TOPIC_ID);

    /** @param selector chooses a consumer's preferred read replica (KIP-392); null to keep consumers on leaders */
    public FetchHandler(ReplicaManager replicas, FetchSessionCache sessions, FetchPurgatory purgatory,
                        Authorization authorization, ReplicaSelector selector, ClientQuotas quotas,
                        BrokerTopicMetrics topicMetrics) {
        this.replicas = replicas;
        this.sessions = sessions;
        this.purgatory = purgatory;
        this.authorization = authorization;
        this.selector = selector;
        this.quotas = quotas;
        this.topicMetrics = topicMetrics;
    }

    /** One partition to read: the client's position, and the session's memory of it when there is a session. */
    private record Item(Key key, long fetchOffset, int maxBytes, int currentLeaderEpoch, int lastFetchedEpoch,
                        CachedPartition cached) {
    }

    /**
     * What reading one partition gave; the offset the read was bounded by (the log end for a follower, the last stable
     * offset for read_committed, else the high watermark) tells whether data arrived since.
     */
    private record Result(Item item, PartitionData data, Partition partition, long boundAtRead) {
    }

    /** The follower a fetch comes from (Kafka's replica id and broker epoch), or none for a consumer. */
    private record Replica(int id, long brokerEpoch) {
        boolean isFollower() {
            return id >= 0;
        }
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        short version = ctx.apiVersion();
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        FetchSession session = null;
        boolean incremental = false;
        List<Item> items = new ArrayList<>();

        if (sessionId == 0 || epoch == FINAL_EPOCH) {
            if (sessionId != 0) {
                sessions.remove(sessionId);
            }
            if (epoch == 0 && version >= FIRST_VERSION_WITH_SESSIONS) {
                session = sessions.create();
            }
            if (session != null) {
                synchronized (session) {
                    upsertRequested(request, version, session);
                    session.partitions().forEach(c -> items.add(itemOf(c)));
                }
            } else {
                forEachRequested(request, version, (key, p) ->
                        items.add(new Item(key, p.fetchOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch(),
                                p.lastFetchedEpoch(), null)));
            }
        } else {
            session = sessions.get(sessionId);
            if (session == null) {
                return CompletableFuture.completedFuture(topLevelError(Errors.FETCH_SESSION_ID_NOT_FOUND));
            }
            synchronized (session) {
                if (epoch != session.nextEpoch()) {
                    return CompletableFuture.completedFuture(topLevelError(Errors.INVALID_FETCH_SESSION_EPOCH));
                }
                upsertRequested(request, version, session);
                for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
                    Uuid id = version >= FIRST_VERSION_WITH_TOPIC_IDS ? forgotten.topicId() : Uuid.ZERO_UUID;
                    String name = version >= FIRST_VERSION_WITH_TOPIC_IDS ? null : forgotten.topic();
                    for (Integer partition : forgotten.partitions()) {
                        session.forget(new Key(id, name, partition));
                    }
                }
                session.advanceEpoch();
                session.partitions().forEach(c -> items.add(itemOf(c)));
            }
            incremental = true;
        }

        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        Replica replica = replicaOf(request, version);
        // As Kafka: a consumer with a byte-rate quota reads at most what the quota allows in one window.
        long maxBytes = replica.isFollower() ? request.maxBytes()
                : Math.min(request.maxBytes(), quotas.maxPerWindow(ctx.principal().getName(), ctx.clientId()));
        Fetch fetch = new Fetch(ctx, request, items, replica,
                request.isolationLevel() == IsolationLevel.READ_COMMITTED.id(), session, incremental, maxBytes,
                Math.min(request.minBytes(), maxBytes), response);
        List<Result> results = readAll(fetch);
        long bytes = bytesOf(results);
        if (request.maxWaitMs() <= 0 || bytes >= fetch.minBytes || answersAtOnce(results) || results.isEmpty()) {
            answer(fetch, results);
        } else {
            waitForData(fetch, results, fetch.minBytes - bytes,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.maxWaitMs()));
        }
        return response;
    }

    /** A fetch being answered: what its reads and its response are built from. */
    private record Fetch(RequestContext ctx, FetchRequestData request, List<Item> items, Replica replica,
                         boolean readCommitted, FetchSession session, boolean incremental, long maxBytes,
                         long minBytes, CompletableFuture<ApiMessage> response) {
    }

    private void answer(Fetch fetch, List<Result> results) {
        if (!fetch.replica.isFollower()) {
            String user = fetch.ctx.principal().getName();
            long bytes = bytesOf(results);
            int throttleMs = quotas.record(user, fetch.ctx.clientId(), bytes);
            if (throttleMs > 0) {
                // As Kafka: a throttled consumer gets no records, and what it did not get does not count.
                quotas.unrecord(user, fetch.ctx.clientId(), bytes);
                recordMetrics(fetch, results, false);
                fetch.ctx.throttle().throttleFor(throttleMs);
                fetch.response.complete(new FetchResponseData().setErrorCode(Errors.NONE.code())
                        .setSessionId(fetch.session == null ? 0 : fetch.session.id()).setThrottleTimeMs(throttleMs));
                return;
            }
        }
        recordMetrics(fetch, results, true);
        fetch.response.complete(withLeaderHints(fetch.ctx, buildResponse(fetch.ctx.apiVersion(), results,
                fetch.session, fetch.incremental), results));
    }

    /**
     * Kafka's BrokerTopicMetrics of an answered fetch, per partition read (a partition whose topic could not be read
     * counts for no topic), and the bytes sent if {@code sent}: a consumer's as BytesOut, a follower's as replication.
     */
    private void recordMetrics(Fetch fetch, List<Result> results, boolean sent) {
        boolean follower = fetch.replica.isFollower();
        long replicationBytes = 0;
        for (Result r : results) {
            if (r.partition == null) {
                continue;
            }
            TopicMetrics metrics = topicMetrics.topic(r.partition.topicPartition().topic());
            metrics.fetchRequest();
            Errors error = Errors.forCode(r.data.errorCode());
            if (error != Errors.NONE && !NOT_FAILURES.contains(error)) {
                metrics.fetchFailed();
            }
            int bytes = sent && r.data.records() != null ? r.data.records().sizeInBytes() : 0;
            if (follower) {
                replicationBytes += bytes;
            } else if (bytes > 0) {
                metrics.bytesOut(bytes);
            }
        }
        if (replicationBytes > 0) {
            topicMetrics.replicationBytesOut(replicationBytes);
        }
    }

    /** An error, a diverging epoch or a preferred read replica is answered at once. */
    private static boolean answersAtOnce(List<Result> results) {
        return results.stream().anyMatch(r -> r.data.errorCode() != Errors.NONE.code()
                || r.data.divergingEpoch().epoch() >= 0 || r.data.preferredReadReplica() >= 0);
    }

    /**
     * Parks the fetch until {@code bytesNeeded} more bytes are committed (appended, for a follower) on its partitions
     * or its wait ends, then reads again. Committed records above the last stable offset wake a read_committed fetch
     * without giving it anything to read: it parks again for the rest of its wait, as Kafka's delayed fetch counts
     * only the bytes below the LSO.
     */
    private void waitForData(Fetch fetch, List<Result> results, long bytesNeeded, long deadlineNanos) {
        List<Partition> waitOn = results.stream().map(Result::partition).toList();
        long remainingMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        purgatory.park(waitOn, fetch.replica.isFollower(), bytesNeeded, remainingMs,
                () -> results.stream().anyMatch(r -> FetchIsolation.readBound(r.partition.log(), fetch.replica.isFollower(), fetch.readCommitted)
                        > r.boundAtRead),
                () -> {
                    try {
                        List<Result> again = readAll(fetch);
                        long bytes = bytesOf(again);
                        if (fetch.readCommitted && bytes < fetch.minBytes && !answersAtOnce(again)
                                && deadlineNanos - System.nanoTime() > 0) {
                            waitForData(fetch, again, fetch.minBytes - bytes, deadlineNanos);
                        } else {
                            answer(fetch, again);
                        }
                    } catch (RuntimeException e) {
                        fetch.response.completeExceptionally(e);
                    }
                });
    }

    private FetchResponseData withLeaderHints(RequestContext ctx, FetchResponseData response, List<Result> results) {
        short version = ctx.apiVersion();
        if (version < FIRST_VERSION_WITH_LEADER_HINTS) {
            return response;
        }
        MetadataImage image = replicas.image();
        for (Result result : results) {
            if (!LeaderHint.appliesTo(Errors.forCode(result.data.errorCode()))) {
                continue;
            }
            TopicPartition tp;
            try {
                tp = topicPartition(image, version, result.item.key);
            } catch (ApiException e) {
                continue;
            }
            LeaderHint.of(image, tp, ctx.listenerName()).ifPresent(hint -> {
                result.data.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch()
                        .setLeaderId(hint.leaderId()).setLeaderEpoch(hint.leaderEpoch()));
                if (version >= FIRST_VERSION_WITH_NODE_ENDPOINTS && hint.endpoint() != null
                        && response.nodeEndpoints().find(hint.leaderId()) == null) {
                    response.nodeEndpoints().add(new FetchResponseData.NodeEndpoint().setNodeId(hint.leaderId())
                            .setHost(hint.endpoint().host()).setPort(hint.endpoint().port()).setRack(hint.rack()));
                }
            });
        }
        return response;
    }

    private static Item itemOf(CachedPartition c) {
        return new Item(c.key(), c.fetchOffset(), c.maxBytes(), c.currentLeaderEpoch(), -1, c);
    }

    private static Replica replicaOf(FetchRequestData request, short version) {
        if (version >= FIRST_VERSION_WITH_REPLICA_STATE) {
            return new Replica(request.replicaState().replicaId(), request.replicaState().replicaEpoch());
        }
        return new Replica(request.replicaId(), -1);
    }

    private interface RequestedPartitionConsumer {
        void accept(Key key, FetchRequestData.FetchPartition partition);
    }

    private static void forEachRequested(FetchRequestData request, short version, RequestedPartitionConsumer consumer) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Uuid id = version >= FIRST_VERSION_WITH_TOPIC_IDS ? topic.topicId() : Uuid.ZERO_UUID;
            String name = version >= FIRST_VERSION_WITH_TOPIC_IDS ? null : topic.topic();
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                consumer.accept(new Key(id, name, p.partition()), p);
            }
        }
    }

    private static void upsertRequested(FetchRequestData request, short version, FetchSession session) {
        forEachRequested(request, version, (key, p) ->
                session.upsert(key, p.fetchOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch()));
    }

    private List<Result> readAll(Fetch fetch) {
        RequestContext ctx = fetch.ctx;
        FetchRequestData request = fetch.request;
        Replica replica = fetch.replica;
        short version = ctx.apiVersion();
        MetadataImage image = replicas.image();
        boolean readCommitted = fetch.readCommitted;
        long budget = fetch.maxBytes;
        long bytes = 0;
        List<Result> results = new ArrayList<>(fetch.items.size());
        for (Item item : fetch.items) {
            PartitionData data = new PartitionData().setPartitionIndex(item.key.partition());
            Partition partition = null;
            long bound = -1;
            try {
                TopicPartition tp = topicPartition(image, version, item.key);
                if (!readAllowed(ctx, replica, tp.topic())) {
                    throw new TopicAuthorizationException("Not authorized to fetch " + tp);
                }
                // Since Fetch v11 (KIP-392) a follower serves consumers too, up to its high watermark.
                partition = !replica.isFollower() && version >= FIRST_VERSION_FROM_FOLLOWERS
                        ? replicas.replicaPartition(tp) : replicas.leaderPartition(tp);
                partition.validateLeaderEpoch(item.currentLeaderEpoch);
                PartitionLog partitionLog = partition.log();
                Optional<EpochEndOffset> diverging = replica.isFollower() && item.lastFetchedEpoch >= 0
                        ? LogDivergence.divergingEpoch(partitionLog, item.lastFetchedEpoch, item.fetchOffset)
                        : Optional.empty();
                long logEnd = partitionLog.logEndOffset();
                long lastStable = partitionLog.lastStableOffset();
                bound = FetchIsolation.readBound(partitionLog, replica.isFollower(), readCommitted);
                LogSlice slice = LogSlice.EMPTY;
                OptionalInt preferred = selector != null && !replica.isFollower() && partition.isLeader()
                        && version >= FIRST_VERSION_FROM_FOLLOWERS
                        ? PreferredReadReplica.of(selector, clientMetadata(ctx, request), image, partition,
                        item.fetchOffset, System.currentTimeMillis())
                        : OptionalInt.empty();
                if (preferred.isPresent()) {
                    data.setPreferredReadReplica(preferred.getAsInt());
                } else if (diverging.isPresent()) {
                    data.setDivergingEpoch(new FetchResponseData.EpochEndOffset()
                            .setEpoch(diverging.get().epoch()).setEndOffset(diverging.get().endOffset()));
                } else {
                    boolean minOneMessage = bytes == 0;
                    int limit = (int) Math.min(item.maxBytes, Math.max(0, budget - bytes));
                    if (!replica.isFollower() || !replicas.throttles().holdsBackFrom(partition, replica.id())) {
                        slice = partitionLog.read(item.fetchOffset, limit, bound, minOneMessage);
                    }
                    if (replica.isFollower()) {
                        partition.recordFollowerFetch(replica.id(), replica.brokerEpoch(), item.fetchOffset, logEnd);
                        replicas.throttles().recordLeaderBytes(partition, replica.id(), slice.size());
                    }
                }
                bytes += slice.size();
                data.setHighWatermark(partitionLog.highWatermark())
                        .setLastStableOffset(lastStable)
                        .setLogStartOffset(partitionLog.logStartOffset())
                        .setRecords(LogSliceRecords.of(slice))
                        // As Kafka: a read_committed fetch lists the aborted transactions, others get null.
                        .setAbortedTransactions(readCommitted ? FetchIsolation.abortedTransactions(partitionLog,
                                item.fetchOffset, slice, bound) : null);
            } catch (ApiException e) {
                setError(data, Errors.forException(e), partition);
            } catch (RuntimeException e) {
                log.warn("Fetch of {} failed", item.key, e);
                setError(data, Errors.UNKNOWN_SERVER_ERROR, partition);
            }
            results.add(new Result(item, data, partition, bound));
        }
        return results;
    }

    private static ClientMetadata clientMetadata(RequestContext ctx, FetchRequestData request) {
        return new ClientMetadata.DefaultClientMetadata(request.rackId(), ctx.clientId(),
                ctx.remoteAddress() == null ? null : ctx.remoteAddress().getAddress(), ctx.principal(),
                ctx.listenerName());
    }

    /** Kafka: a follower needs CLUSTER_ACTION on the cluster, a consumer READ on the topic. */
    private boolean readAllowed(RequestContext ctx, Replica replica, String topic) {
        return replica.isFollower() ? authorization.allowedOnCluster(ctx, AclOperation.CLUSTER_ACTION)
                : authorization.allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic);
    }

    private static void setError(PartitionData data, Errors error, Partition partition) {
        data.setErrorCode(error.code()).setRecords(LogSliceRecords.of(LogSlice.EMPTY));
        if (partition != null) {
            data.setHighWatermark(partition.log().highWatermark())
                    .setLastStableOffset(partition.log().lastStableOffset())
                    .setLogStartOffset(partition.log().logStartOffset());
        } else {
            data.setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
        }
    }

    private static TopicPartition topicPartition(MetadataImage image, short version, Key key) {
        if (version < FIRST_VERSION_WITH_TOPIC_IDS) {
            return new TopicPartition(key.topic(), key.partition());
        }
        TopicImage topic = image.topicsById().get(key.topicId());
        if (topic == null) {
            throw new UnknownTopicIdException("Unknown topic id " + key.topicId());
        }
        return new TopicPartition(topic.name(), key.partition());
    }

    private static long bytesOf(List<Result> results) {
        long bytes = 0;
        for (Result r : results) {
            bytes += r.data.records() == null ? 0 : r.data.records().sizeInBytes();
        }
        return bytes;
    }

    private static FetchResponseData buildResponse(short version, List<Result> results, FetchSession session,
                                                   boolean incremental) {
        FetchResponseData response = new FetchResponseData()
                .setErrorCode(Errors.NONE.code())
                .setSessionId(session == null ? 0 : session.id());
        FetchableTopicResponse topic = null;
        Key topicKey = null;
        List<CachedPartition> returnedData = new ArrayList<>();
        for (Result result : results) {
            PartitionData data = result.data;
            CachedPartition cached = result.item.cached;
            boolean include = true;
            boolean hasRecords = data.records() != null && data.records().sizeInBytes() > 0;
            if (cached != null) {
                boolean changed;
                synchronized (session) {
                    changed = cached.updateAndCheckChanged(data.highWatermark(), data.lastStableOffset(), data.logStartOffset());
                }
                include = !incremental || changed || hasRecords || data.errorCode() != Errors.NONE.code();
                if (incremental && hasRecords) {
                    returnedData.add(cached);
                }
            }
            if (!include) {
                continue;
            }
            Key key = result.item.key;
            if (topic == null || !sameTopic(topicKey, key)) {
                topic = new FetchableTopicResponse();
                if (version >= FIRST_VERSION_WITH_TOPIC_IDS) {
                    topic.setTopicId(key.topicId());
                } else {
                    topic.setTopic(key.topic());
                }
                response.responses().add(topic);
                topicKey = key;
            }
            topic.partitions().add(data);
        }
        if (!returnedData.isEmpty()) {
            synchronized (session) {
                returnedData.forEach(session::rotateToEnd);
            }
        }
        return response;
    }

    private static boolean sameTopic(Key a, Key b) {
        return a.topicId().equals(b.topicId()) && java.util.Objects.equals(a.topic(), b.topic());
    }

    private static FetchResponseData topLevelError(Errors error) {
        return new FetchResponseData().setErrorCode(error.code()).setSessionId(0);
    }
}
