package io.runnel.broker;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.DynamicCleanerConfig;
import io.runnel.broker.config.DynamicConnectionConfig;
import io.runnel.broker.config.DynamicSslConfig;
import io.runnel.broker.config.StartupVoters;
import io.runnel.broker.config.StorageFormatter;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.http.AdminServer;
import io.runnel.broker.handlers.AddOffsetsToTxnHandler;
import io.runnel.broker.handlers.AddPartitionsToTxnHandler;
import io.runnel.broker.handlers.AlterConfigsHandler;
import io.runnel.broker.handlers.AlterPartitionReassignmentsHandler;
import io.runnel.broker.handlers.AlterClientQuotasHandler;
import io.runnel.broker.handlers.AlterReplicaLogDirsHandler;
import io.runnel.broker.handlers.AlterUserScramCredentialsHandler;
import io.runnel.broker.handlers.DescribeClientQuotasHandler;
import io.runnel.broker.handlers.DescribeUserScramCredentialsHandler;
import io.runnel.broker.handlers.DescribeTransactionsHandler;
import io.runnel.broker.handlers.EndTxnHandler;
import io.runnel.broker.handlers.RaftVoterHandlers;
import io.runnel.broker.handlers.ListTransactionsHandler;
import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.group.ConsumerLagCollector;
import io.runnel.broker.group.GroupConfig;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.consumer.ConsumerGroupConfig;
import io.runnel.broker.handlers.CreateAclsHandler;
import io.runnel.broker.handlers.CreatePartitionsHandler;
import io.runnel.broker.handlers.DeleteAclsHandler;
import io.runnel.broker.handlers.DescribeAclsHandler;
import io.runnel.broker.handlers.CreateTopicsHandler;
import io.runnel.broker.handlers.DeleteRecordsHandler;
import io.runnel.broker.handlers.DeleteTopicsHandler;
import io.runnel.broker.handlers.DescribeClusterHandler;
import io.runnel.broker.handlers.DescribeConfigsHandler;
import io.runnel.broker.handlers.DescribeLogDirsHandler;
import io.runnel.broker.handlers.DescribeProducersHandler;
import io.runnel.broker.handlers.DescribeQuorumHandler;
import io.runnel.broker.handlers.DescribeTopicPartitionsHandler;
import io.runnel.broker.handlers.ConsumerGroupDescribeHandler;
import io.runnel.broker.handlers.ConsumerGroupHeartbeatHandler;
import io.runnel.broker.handlers.DeleteGroupsHandler;
import io.runnel.broker.handlers.DescribeGroupsHandler;
import io.runnel.broker.handlers.ElectLeadersHandler;
import io.runnel.broker.handlers.ListPartitionReassignmentsHandler;
import io.runnel.broker.handlers.UnregisterBrokerHandler;
import io.runnel.broker.handlers.FetchHandler;
import io.runnel.broker.handlers.FindCoordinatorHandler;
import io.runnel.broker.handlers.HeartbeatHandler;
import io.runnel.broker.handlers.JoinGroupHandler;
import io.runnel.broker.handlers.LeaveGroupHandler;
import io.runnel.broker.handlers.ListGroupsHandler;
import io.runnel.broker.handlers.OffsetCommitHandler;
import io.runnel.broker.handlers.OffsetDeleteHandler;
import io.runnel.broker.handlers.OffsetFetchHandler;
import io.runnel.broker.handlers.SyncGroupHandler;
import io.runnel.broker.handlers.IncrementalAlterConfigsHandler;
import io.runnel.broker.handlers.InitProducerIdHandler;
import io.runnel.broker.handlers.ListOffsetsHandler;
import io.runnel.broker.handlers.MetadataHandler;
import io.runnel.broker.handlers.OffsetForLeaderEpochHandler;
import io.runnel.broker.handlers.ProduceHandler;
import io.runnel.broker.handlers.TxnOffsetCommitHandler;
import io.runnel.broker.handlers.SaslReauthenticationHandler;
import io.runnel.broker.handlers.WriteTxnMarkersHandler;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.ControllerMetrics;
import io.runnel.broker.metrics.GroupCoordinatorMetrics;
import io.runnel.broker.metrics.LogCleanerMetrics;
import io.runnel.broker.metrics.LogMetrics;
import io.runnel.broker.metrics.PurgatoryMetrics;
import io.runnel.broker.metrics.RaftMetrics;
import io.runnel.broker.metrics.TransactionCoordinatorMetrics;
import io.runnel.broker.network.ListenerSpec;
import io.netty.handler.ssl.SslContext;
import io.runnel.broker.network.ListenerSasl;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.protocol.SaslServers;
import io.runnel.broker.network.SocketServer;
import io.runnel.broker.security.AclAuthorizer;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.security.BootstrapScramCredentials;
import io.runnel.broker.security.CertificatePrincipal;
import io.runnel.broker.security.SslContexts;
import io.runnel.broker.security.SslSettings;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.quota.ClientQuotas;
import io.runnel.broker.quota.ControllerMutations;
import io.runnel.broker.quota.QuotaWindow;
import io.runnel.broker.replica.FetchPurgatory;
import io.runnel.broker.replica.FetchSessionCache;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.txn.InterBrokerMarkerSender;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.broker.txn.TransactionConfig;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.broker.txn.TransactionStateMachine;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Controller;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataQuorum;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.QuorumConfig;
import io.runnel.metadata.quorum.QuorumTransport;
import io.runnel.metadata.TopicImage;
import io.runnel.storage.LogManager;
import io.runnel.storage.MetaProperties;
import io.runnel.storage.LogManagerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One Runnel node: the metadata quorum member, and with the broker role the partition logs, the
 * replica manager and the Kafka listeners. Start-up order follows the dependencies; shutdown runs
 * in reverse and leaves every log flushed and marked clean.
 */
public final class RunnelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunnelServer.class);
    /** Kafka's max.incremental.fetch.session.cache.slots default. */
    private static final int FETCH_SESSION_SLOTS = 1000;
    /** Metadata entries between snapshots of the image. */
    private static final long METADATA_SNAPSHOT_INTERVAL = 10_000;
    private static final long REGISTRATION_TIMEOUT_MS = 60_000;
    private static final long DIRECTORY_RETRY_MS = 5_000;
    private static final Duration VOTER_DISCOVERY_TIMEOUT = Duration.ofSeconds(60);
    /** Within the Admin client's request.timeout.ms (30 s): RemoveRaftVoter names no timeout. */
    private static final long VOTER_CHANGE_TIMEOUT_MS = 25_000;
    /** How long the first start waits for the metadata log to take the --add-scram credentials. */
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(60);
    private static final long CONTROLLED_SHUTDOWN_TIMEOUT_MS = 10_000;

    private final BrokerConfig config;
    private final BrokerMetrics metrics = new BrokerMetrics();
    /** Whether the metrics are MBeans of this JVM: only for a node that has its JVM to itself. */
    private final boolean exportJmx;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean controlledShutdownDone = new AtomicBoolean();
    private String clusterId;
    /** The admin HTTP endpoint, null when admin.listeners is empty. */
    private AdminServer adminServer;
    /** Whether start-up has completed and shutdown not begun: what the readiness probe answers. */
    private volatile boolean serving;
    /** The voters this node started its quorum member with (see {@link StartupVoters}). */
    private Map<Integer, InetSocketAddress> voters;
    private MetadataQuorum quorum;
    private LogManager logs;
    private FetchPurgatory purgatory;
    private CoordinatorRuntime coordinatorRuntime;
    private GroupCoordinator groupCoordinator;
    private TransactionCoordinator transactionCoordinator;
    private TransactionStateMachine transactions;
    private InterBrokerMarkerSender markerSender;
    /** Null when transaction.partition.verification.enable is false. */
    private TransactionVerifier transactionVerifier;
    private SocketServer socketServer;
    /** The server side of each SSL listener's TLS, by listener name. */
    private final Map<String, ListenerTls> listenerTls;
    /** How each SASL listener authenticates, by listener name. */
    private final Map<String, ListenerSasl> listenerSasl;
    /** The client side of the inter-broker listener's TLS; null when it is PLAINTEXT. */
    private final SslContext interBrokerTls;
    private InterBrokerClient interBrokerClient;
    private DynamicSslConfig dynamicSsl;
    private ReplicaManager replicas;
    private BrokerLifecycleManager lifecycle;
    private ProducerIdManager producerIds;
    private Authorization authorization;

    /** A node whose metrics are not exported to JMX, as tests run several in one JVM (see {@link #metrics()}). */
    public RunnelServer(BrokerConfig config) {
        this(config, false);
    }

    /**
     * Loads the TLS stores of the SSL listeners first: a keystore or truststore that cannot be used stops it here.
     *
     * @param exportJmx register the metrics as MBeans under Kafka's names; JMX is one name space per JVM, so only the
     *                  node of a JVM of its own (runnel server) may
     */
    public RunnelServer(BrokerConfig config, boolean exportJmx) {
        this.config = config;
        this.exportJmx = exportJmx;
        boolean broker = config.processRoles().contains("broker");
        this.listenerTls = broker ? listenerTls() : Map.of();
        this.listenerSasl = broker ? listenerSasl() : Map.of();
        SslSettings interBrokerSsl = broker ? config.sslSettings().get(config.interBrokerListenerName()) : null;
        this.interBrokerTls = interBrokerSsl == null ? null : SslContexts.client(interBrokerSsl);
    }

    public void startup() throws Exception {
        clusterId = StorageFormatter.checkFormatted(config);
        if (exportJmx) {
            metrics.exportToJmx();
        }
        try {
            // First, so that probes see the node start: live at once, ready once it serves.
            if (!config.adminHttp().listeners().isEmpty()) {
                adminServer = new AdminServer(config.adminHttp(), () -> serving, metrics.prometheus());
            }
            QuorumTransport transport = config.quorumTransport();
            voters = StartupVoters.of(config, clusterId, transport, VOTER_DISCOVERY_TIMEOUT);
            quorum = new MetadataQuorum(new QuorumConfig(config.nodeId(), clusterId, voters,
                    config.metadataLogDir(), config.numPartitions(), config.defaultReplicationFactor(),
                    config.minInsyncReplicas(),
                    METADATA_SNAPSHOT_INTERVAL, config.brokerSessionTimeoutMs(), config.metadataFollowerAddress(voters),
                    transport));
            quorum.observeRaft(new RaftMetrics(metrics, quorum::raftStatus, quorum::electionLatency));
            quorum.start();
            MetaProperties.read(config.metadataLogDir()).ifPresent(meta -> registerDirectory(meta.directoryId()));
            if (config.processRoles().contains("controller")) {
                new ControllerMetrics(metrics, quorum::image, quorum::isActiveController);
            }
            BootstrapScramCredentials.apply(config.metadataLogDir(), quorum.image(), quorum.controller(),
                    BOOTSTRAP_TIMEOUT);
            if (config.autoLeaderRebalanceEnable()) {
                quorum.balanceLeadersEvery(config.leaderImbalanceCheckInterval());
            }
            if (config.processRoles().contains("broker")) {
                startBroker();
            }
            serving = true;
            log.info("Node {} of cluster {} started", config.nodeId(), clusterId);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void startBroker() throws Exception {
        TopicConfigResolver topicConfigs = new TopicConfigResolver(config.originals());
        LogManagerConfig logManagerConfig = config.logManagerConfig();
        logs = new LogManager(config.logDirs(), logManagerConfig);
        logs.addListener(new LogMetrics(metrics));
        LogCleanerMetrics.register(metrics, logs);
        MetadataImage image = quorum.image();
        topicConfigs.updateDynamicConfigs(image.brokerConfigs(Integer.toString(config.nodeId())), image.brokerConfigs(""));
        logs.loadLogs(tp -> topicConfigs.logConfig(image.topicConfigs(tp.topic())));
        interBrokerClient = new InterBrokerClient(config.nodeId(), this::interBrokerEndpoint, interBrokerTls,
                config.interBrokerSasl());
        producerIds = new ProducerIdManager(config.nodeId(), quorum.controller());
        replicas = new ReplicaManager(config.nodeId(), logs, topicConfigs, quorum.controller(),
                config.replicationConfig(), interBrokerClient, this::brokerEpoch, metrics);
        // Before the first metadata update, so that every __consumer_offsets partition led here is loaded.
        coordinatorRuntime = new CoordinatorRuntime(Long.parseLong(config.get("offsets.commit.timeout.ms")));
        groupCoordinator = new GroupCoordinator(GroupConfig.from(config), replicas, quorum.controller(), coordinatorRuntime);
        replicas.addLeadershipListener(groupCoordinator);
        GroupCoordinatorMetrics.register(metrics, groupCoordinator);
        metrics.prometheus().register(new ConsumerLagCollector(groupCoordinator, this::highWatermarkHere));
        transactionCoordinator = new TransactionCoordinator(TransactionConfig.from(config), replicas, quorum.controller(),
                coordinatorRuntime);
        markerSender = new InterBrokerMarkerSender((broker, request, version, timeoutMs) ->
                interBrokerClient.send(broker, InterBrokerClient.CONTROL, request, version, timeoutMs),
                this::partitionLeader);
        TransactionCoordinatorMetrics.register(metrics, transactionCoordinator);
        transactions = new TransactionStateMachine(transactionCoordinator, producerIds::nextId, markerSender);
        TransactionCoordinatorMetrics.registerMarkerQueues(metrics, markerSender::awaitingLeaderCount,
                transactions::completionRetryCount);
        transactionVerifier = Boolean.parseBoolean(config.get("transaction.partition.verification.enable"))
                ? new TransactionVerifier(config.nodeId(), transactionCoordinator, transactions,
                        (broker, request, version, timeoutMs) -> interBrokerClient.send(broker,
                                InterBrokerClient.TRANSACTIONS, request, version, timeoutMs))
                : null;
        transactions.startPeriodicChecks();
        replicas.addLeadershipListener(transactionCoordinator);
        // Before the replica manager: once it has applied an image (what handlers wait for), so has the authorizer.
        authorization = authorization();
        quorum.addListener(replicas);
        // After the replica manager, which hands the resolver the dynamic broker configs of each update.
        quorum.addListener(new DynamicCleanerConfig(topicConfigs, logs, logManagerConfig));
        purgatory = new FetchPurgatory();
        PurgatoryMetrics.register(metrics, "Fetch", purgatory::size);
        PurgatoryMetrics.register(metrics, "Produce", replicas.producePurgatory()::size);
        dynamicSsl = new DynamicSslConfig(config, topicConfigs, listenerTls, interBrokerClient);
        socketServer = new SocketServer(config.brokerListeners(), listenerTls, listenerSasl, config.networkConfig(),
                dispatcher(replicas, topicConfigs), metrics);
        // Told of the current image at once: the connection limits kept in the metadata log apply from the start.
        quorum.addListener(new DynamicConnectionConfig(topicConfigs, socketServer));
        quorum.addListener(dynamicSsl);
        socketServer.start();
        lifecycle = new BrokerLifecycleManager(config.nodeId(), clusterId, config.rack(), quorum,
                config.brokerHeartbeatIntervalMs(), logs.previousBrokerEpoch());
        lifecycle.start(advertisedEndpoints(), REGISTRATION_TIMEOUT_MS);
    }

    /** The ACL authorizer told of every metadata image when authorizer.class.name asks for it, else none. */
    private Authorization authorization() {
        if (!config.authorizerEnabled()) {
            return Authorization.NONE;
        }
        AclAuthorizer authorizer = new AclAuthorizer(config.superUsers(), config.allowEveryoneIfNoAclFound());
        quorum.addListener(authorizer);
        log.info("ACL authorization on; super users {}, allow.everyone.if.no.acl.found={}", config.superUsers(),
                config.allowEveryoneIfNoAclFound());
        return new Authorization(authorizer);
    }

    private Map<String, ListenerTls> listenerTls() {
        Map<String, ListenerTls> tls = new HashMap<>();
        config.sslSettings().forEach((name, settings) -> {
            tls.put(name, new ListenerTls(SslContexts.server(settings), new CertificatePrincipal(settings.principalMapper())));
            log.info("TLS on listener {} through {}, client certificates {}", name, SslContexts.provider(),
                    settings.clientAuth());
        });
        return tls;
    }

    private Map<String, ListenerSasl> listenerSasl() {
        Map<String, ListenerSasl> sasl = new HashMap<>();
        config.saslSettings().forEach((name, settings) -> {
            sasl.put(name, new ListenerSasl(settings.mechanisms(), SaslServers.of(settings, this::scramCredential),
                    settings.maxReceiveBytes(), settings.maxReauthMs()));
            log.info("SASL on listener {} with mechanisms {}", name, settings.mechanisms());
        });
        return sasl;
    }

    /** A user's SCRAM credential for the mechanism in this broker's metadata image; null before the image is read. */
    private String scramCredential(String user, String mechanism) {
        return replicas == null ? null : replicas.image().scramCredentials(user).get(mechanism);
    }

    private ApiDispatcher dispatcher(ReplicaManager replicas, TopicConfigResolver topicConfigs) {
        Controller controller = quorum.controller();
        IntSupplier activeController = this::controllerIdForClients;
        Authorization auth = authorization;
        QuotaWindow window = config.quotaWindow();
        Supplier<Map<ClientQuotaEntity, Map<String, Double>>> quotas = () -> replicas.image().clientQuotas();
        ControllerMutations mutations = new ControllerMutations(quotas, window, System::currentTimeMillis);
        return new ApiDispatcher()
                .forNode(clusterId, config.nodeId(), () -> replicas.image().lastAppliedOffset())
                .requestQuota(ClientQuotas.requestPercentage(quotas, window, System::currentTimeMillis))
                .requestMetrics(metrics.requests())
                .register(ApiKeys.PRODUCE, new ProduceHandler(replicas, transactionVerifier, auth,
                        new ClientQuotas(ClientQuotas.PRODUCER_BYTE_RATE, quotas, window, System::currentTimeMillis),
                        metrics.topics()))
                .register(ApiKeys.FETCH, new FetchHandler(replicas, new FetchSessionCache(FETCH_SESSION_SLOTS), purgatory,
                        auth, config.replicaSelector(),
                        new ClientQuotas(ClientQuotas.CONSUMER_BYTE_RATE, quotas, window, System::currentTimeMillis),
                        metrics.topics()))
                .register(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler(replicas, auth))
                .register(ApiKeys.METADATA, new MetadataHandler(replicas, controller, config.autoCreateTopicsEnable(),
                        activeController, auth))
                .register(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(replicas, auth))
                .register(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler(groupCoordinator, transactionCoordinator,
                        replicas, auth))
                .register(ApiKeys.JOIN_GROUP, new JoinGroupHandler(groupCoordinator, auth))
                .register(ApiKeys.SYNC_GROUP, new SyncGroupHandler(groupCoordinator, auth))
                .register(ApiKeys.HEARTBEAT, new HeartbeatHandler(groupCoordinator, auth))
                .register(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler(groupCoordinator, auth))
                .register(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler(groupCoordinator, replicas, auth))
                .register(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler(groupCoordinator, replicas, auth))
                .register(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler(groupCoordinator, replicas, auth))
                .register(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.LIST_GROUPS, new ListGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler(groupCoordinator, auth))
                .register(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(groupCoordinator, replicas,
                        ConsumerGroupConfig.from(config::get), auth))
                .register(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler(groupCoordinator, replicas,
                        auth))
                .register(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds, transactions, auth))
                .register(ApiKeys.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler(transactions, replicas, auth))
                .register(ApiKeys.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler(transactions, groupCoordinator, auth))
                .register(ApiKeys.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler(groupCoordinator, replicas,
                        transactionVerifier, auth))
                .register(ApiKeys.END_TXN, new EndTxnHandler(transactions, auth))
                .register(ApiKeys.DESCRIBE_TRANSACTIONS, new DescribeTransactionsHandler(transactionCoordinator, auth))
                .register(ApiKeys.LIST_TRANSACTIONS, new ListTransactionsHandler(transactionCoordinator, auth))
                .register(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(controller, topicConfigs, replicas, auth,
                        mutations, config.numPartitions()))
                .register(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(controller, config.deleteTopicEnable(), replicas,
                        auth, mutations))
                .register(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(controller, replicas, auth, mutations))
                .register(ApiKeys.ELECT_LEADERS, auth.onCluster(AclOperation.ALTER,
                        new ElectLeadersHandler(controller, replicas)))
                .register(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, auth.onCluster(AclOperation.ALTER,
                        new AlterPartitionReassignmentsHandler(controller, replicas)))
                .register(ApiKeys.LIST_PARTITION_REASSIGNMENTS, auth.onCluster(AclOperation.DESCRIBE,
                        new ListPartitionReassignmentsHandler(controller)))
                .register(ApiKeys.UNREGISTER_BROKER, auth.onCluster(AclOperation.ALTER,
                        new UnregisterBrokerHandler(controller)))
                .register(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler(replicas, activeController, auth))
                .register(ApiKeys.DESCRIBE_QUORUM, auth.onCluster(AclOperation.DESCRIBE, new DescribeQuorumHandler(quorum,
                        config.controllerListenerName())))
                .register(ApiKeys.ADD_RAFT_VOTER, auth.onCluster(AclOperation.ALTER,
                        RaftVoterHandlers.add(quorum, clusterId, config.controllerListenerName())))
                .register(ApiKeys.REMOVE_RAFT_VOTER, auth.onCluster(AclOperation.ALTER,
                        RaftVoterHandlers.remove(quorum, clusterId, VOTER_CHANGE_TIMEOUT_MS)))
                .register(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, new DescribeTopicPartitionsHandler(replicas, auth))
                .register(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(replicas, topicConfigs, config, auth))
                .register(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(controller, config.nodeId(),
                        topicConfigs, dynamicSsl, auth))
                .register(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler(controller, config.nodeId(), topicConfigs,
                        dynamicSsl, auth))
                .register(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler(replicas, auth))
                .register(ApiKeys.WRITE_TXN_MARKERS, auth.onCluster(AclOperation.CLUSTER_ACTION,
                        new WriteTxnMarkersHandler(replicas, groupCoordinator)))
                .register(ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler(replicas, auth))
                .register(ApiKeys.ALTER_REPLICA_LOG_DIRS, auth.onCluster(AclOperation.ALTER,
                        new AlterReplicaLogDirsHandler(replicas)))
                .register(ApiKeys.DESCRIBE_LOG_DIRS, auth.onCluster(AclOperation.DESCRIBE,
                        new DescribeLogDirsHandler(logs, ForkJoinPool.commonPool())))
                .register(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, auth.onCluster(AclOperation.ALTER,
                        new AlterUserScramCredentialsHandler(controller)))
                .register(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, auth.onCluster(AclOperation.DESCRIBE,
                        new DescribeUserScramCredentialsHandler(replicas)))
                .register(ApiKeys.ALTER_CLIENT_QUOTAS, auth.onCluster(AclOperation.ALTER_CONFIGS,
                        new AlterClientQuotasHandler(controller)))
                .register(ApiKeys.DESCRIBE_CLIENT_QUOTAS, auth.onCluster(AclOperation.DESCRIBE_CONFIGS,
                        new DescribeClientQuotasHandler(replicas)))
                .register(ApiKeys.CREATE_ACLS, auth.aclApi(AclOperation.ALTER,
                        new CreateAclsHandler(controller, replicas)))
                .register(ApiKeys.DELETE_ACLS, auth.aclApi(AclOperation.ALTER,
                        new DeleteAclsHandler(controller, replicas)))
                .register(ApiKeys.DESCRIBE_ACLS, auth.aclApi(AclOperation.DESCRIBE,
                        new DescribeAclsHandler(replicas)))
                .register(ApiKeys.SASL_HANDSHAKE, new SaslReauthenticationHandler())
                .register(ApiKeys.SASL_AUTHENTICATE, new SaslReauthenticationHandler());
    }

    /**
     * The controller id Metadata and DescribeCluster name: the active controller when it is a live broker, else this
     * broker (a dedicated controller serves no client; as in Kafka, clients send controller requests to a broker,
     * which forwards them).
     */
    private int controllerIdForClients() {
        int active = quorum.activeControllerId();
        BrokerRegistration broker = replicas.image().brokers().get(active);
        return broker != null && !broker.fenced() ? active : config.nodeId();
    }

    /** This broker's epoch as the metadata image has its registration; -1 before it is registered. */
    private long brokerEpoch() {
        MetadataImage current = replicas == null ? null : replicas.image();
        BrokerRegistration self = current == null ? null : current.brokers().get(config.nodeId());
        return self == null ? -1 : self.brokerEpoch();
    }

    /** Where another broker takes inter-broker requests: its endpoint on inter.broker.listener.name. */
    private InetSocketAddress interBrokerEndpoint(int brokerId) {
        MetadataImage current = replicas == null ? null : replicas.image();
        BrokerRegistration broker = current == null ? null : current.brokers().get(brokerId);
        if (broker == null) {
            return null;
        }
        return broker.endpoints().stream()
                .filter(e -> e.listenerName().equals(config.interBrokerListenerName()))
                .findFirst()
                .map(e -> new InetSocketAddress(e.host(), e.port()))
                .orElse(null);
    }

    /** The leader of a partition in the current metadata: -1 while it has none, null if the partition does not exist. */
    private Integer partitionLeader(TopicPartition tp) {
        TopicImage topic = replicas.image().topicsByName().get(tp.topic());
        PartitionRegistration registration = topic == null ? null : topic.partitions().get(tp.partition());
        return registration == null ? null : registration.leader();
    }

    /** The high watermark of this broker's replica of a partition, null when it has none (for the lag metrics). */
    private Long highWatermarkHere(TopicPartition tp) {
        try {
            return replicas.replicaPartition(tp).log().highWatermark();
        } catch (ApiException notHere) { // Kafka's ApiException has no stack trace to fill: cheap per partition
            return null;
        }
    }

    /** This node's metrics, under Kafka's MBean names: what tests of in-process nodes read instead of JMX. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The replica manager (null without the broker role), for tests that hold followers back. */
    public ReplicaManager replicaManager() {
        return replicas;
    }

    /** The advertised listeners, with the port actually bound where the configuration asked for an ephemeral one. */
    private List<Endpoint> advertisedEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (ListenerSpec l : config.advertisedListeners()) {
            int port = l.port() == 0 ? socketServer.boundPort(l.name()) : l.port();
            endpoints.add(new Endpoint(l.name(), l.host(), port, l.protocol().name));
        }
        return endpoints;
    }

    public String clusterId() {
        return clusterId;
    }

    public int nodeId() {
        return config.nodeId();
    }

    /** The port the first admin listener is bound to (the real one when the configuration asked for port 0). */
    public int adminPort() {
        return adminServer.boundPort(0);
    }

    /** The port a broker listener is bound to (the real one when the configuration asked for port 0). */
    public int boundPort(String listenerName) {
        return socketServer.boundPort(listenerName);
    }

    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /**
     * The first step of {@link #close()} alone: the broker stops being ready and hands its leaderships over. Nodes of
     * one cluster stopping together take this step together first, while their quorum still has its majority to
     * answer; each one's later close skips it.
     */
    public void controlledShutdown() {
        serving = false;
        if (lifecycle != null && !controlledShutdownDone.getAndSet(true)) {
            lifecycle.controlledShutdown(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
        }
    }

    /**
     * Clean shutdown: a controlled shutdown (leaderships move to other brokers), stop serving, then the quorum,
     * then flush and close every log.
     */
    /**
     * Records this node's metadata directory in the log (DescribeQuorum reports it, voter changes compare it), in
     * the background and until it is there: a controller must not wait at start for a quorum it is one of the
     * voters of.
     */
    private void registerDirectory(Uuid directoryId) {
        quorum.registerDirectory(directoryId).whenComplete((ignored, failure) -> {
            if (failure != null && !closed.get()) {
                log.warn("Recording metadata directory {} failed, retrying in {} ms: {}", directoryId,
                        DIRECTORY_RETRY_MS, failure.toString());
                CompletableFuture.delayedExecutor(DIRECTORY_RETRY_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> registerDirectory(directoryId));
            }
        });
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        controlledShutdown();
        closeQuietly(lifecycle, "broker lifecycle");
        closeQuietly(socketServer, "network");
        closeQuietly(purgatory, "fetch purgatory");
        closeQuietly(replicas, "replica manager");
        closeQuietly(dynamicSsl, "TLS store loader");
        closeQuietly(interBrokerClient, "inter-broker client");
        closeQuietly(markerSender, "transaction marker sender");
        closeQuietly(transactionCoordinator, "transaction coordinator");
        closeQuietly(groupCoordinator, "group coordinator");
        closeQuietly(coordinatorRuntime, "coordinator runtime");
        closeQuietly(quorum, "metadata quorum");
        if (logs != null && lifecycle != null) {
            logs.recordBrokerEpoch(lifecycle.brokerEpoch());
        }
        closeQuietly(logs, "log manager");
        closeQuietly(metrics, "metrics' MBeans");
        closeQuietly(adminServer, "admin endpoint");
        log.info("Node {} shut down", config.nodeId());
        stopped.countDown();
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Error closing the {}", what, e);
        }
    }
}
