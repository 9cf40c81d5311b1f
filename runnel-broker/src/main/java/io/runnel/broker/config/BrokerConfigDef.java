package io.runnel.broker.config;

import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.SHORT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

/** The broker keys Runnel understands, with Kafka's names, types, defaults and validators. */
final class BrokerConfigDef {
    static final String NODE_ID = "node.id";
    static final String BROKER_ID = "broker.id";
    static final String PROCESS_ROLES = "process.roles";
    static final String LISTENERS = "listeners";
    static final String ADMIN_LISTENERS = "admin.listeners";
    static final String SCHEMA_REGISTRY_LISTENERS = "schema.registry.listeners";
    static final String REST_PROXY_LISTENERS = "rest.proxy.listeners";
    static final String CONSOLE_LISTENERS = "console.listeners";
    static final String CONSOLE_READ_ONLY = "console.read.only";
    static final String CONSOLE_BASIC_AUTH_PASSWORDS = "console.basic.auth.passwords";
    static final String ADVERTISED_LISTENERS = "advertised.listeners";
    static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    static final String SECURITY_INTER_BROKER_PROTOCOL = "security.inter.broker.protocol";
    static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    static final String CONTROLLER_QUORUM_BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";
    static final String LOG_DIRS = "log.dirs";
    static final String LOG_DIR = "log.dir";
    static final String METADATA_LOG_DIR = "metadata.log.dir";
    static final String NUM_PARTITIONS = "num.partitions";
    static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    static final String LOG_ROLL_MS = "log.roll.ms";
    static final String LOG_ROLL_HOURS = "log.roll.hours";
    static final String LOG_ROLL_JITTER_MS = "log.roll.jitter.ms";
    static final String LOG_ROLL_JITTER_HOURS = "log.roll.jitter.hours";
    static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    static final String LOG_RETENTION_MS = "log.retention.ms";
    static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    static final String LOG_RETENTION_HOURS = "log.retention.hours";
    static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    static final String LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "log.message.timestamp.before.max.ms";
    static final String LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = "log.message.timestamp.after.max.ms";
    static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    static final String NUM_NETWORK_THREADS = "num.network.threads";
    static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    static final String BROKER_RACK = "broker.rack";
    static final String REPLICA_SELECTOR_CLASS = "replica.selector.class";
    static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    static final String SUPER_USERS = "super.users";
    static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    static final String QUOTA_WINDOW_NUM = "quota.window.num";
    static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";

    static final String DEFAULT_SECURITY_PROTOCOL_MAP =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    static final ConfigDef DEF = withKeys(new ConfigDef()
            // server roles and quorum
            .define(NODE_ID, INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(0), HIGH,
                    "The node id of this server in the cluster.")
            .define(BROKER_ID, INT, -1, HIGH, "The broker id of this server; deprecated by Kafka for node.id, "
                    + "which it must equal when both are set.")
            .define(PROCESS_ROLES, LIST, ConfigDef.NO_DEFAULT_VALUE, ValidList.in(false, "broker", "controller"), HIGH,
                    "The roles this node plays: broker, controller, or both.")
            .define(CONTROLLER_QUORUM_VOTERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), HIGH,
                    "The controller voters as id@host:port entries.")
            .define(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), HIGH,
                    "host:port of the controllers a node first contacts.")
            // listeners
            .define(LISTENERS, LIST, "PLAINTEXT://:9092", ValidList.anyNonDuplicateValues(false, false), HIGH,
                    "The addresses the server listens on, as NAME://host:port.")
            .define(ADMIN_LISTENERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), MEDIUM,
                    "The admin HTTP endpoint's addresses, as http://host:port or https://host:port (with the "
                    + "admin.ssl.* settings) (readiness, liveness, Prometheus metrics); empty: off.")
            .define(SCHEMA_REGISTRY_LISTENERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), MEDIUM,
                    "The built-in schema registry's addresses (Confluent's REST API), as http://host:port or "
                    + "https://host:port (with the schema.registry.ssl.* settings; schema.registry.authentication.* "
                    + "for basic auth); it stores schemas in the _schemas topic of this cluster; empty: off.")
            .define(REST_PROXY_LISTENERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), MEDIUM,
                    "The built-in REST proxy's addresses (Confluent's REST API v2 and v3), as http://host:port or "
                    + "https://host:port (with the rest.proxy.ssl.* settings; rest.proxy.authentication.* for basic "
                    + "auth); a client of this broker (and of its schema registry for the avro format); empty: off.")
            .define(CONSOLE_LISTENERS, LIST, "", ValidList.anyNonDuplicateValues(true, false), MEDIUM,
                    "The built-in web console's addresses, as http://host:port or https://host:port (with the "
                    + "console.ssl.* settings); a client of this broker (and of its "
                    + "schema registry for Avro values and the Schemas pages); empty: off.")
            .define(CONSOLE_READ_ONLY, BOOLEAN, false, MEDIUM,
                    "Whether the web console refuses every change (403) and shows no forms.")
            .define(CONSOLE_BASIC_AUTH_PASSWORDS, STRING, "", MEDIUM,
                    "The web console's HTTP basic login: user:password entries, comma-separated; empty: no login.")
            .define(ADVERTISED_LISTENERS, LIST, null, ValidList.anyNonDuplicateValues(false, true), HIGH,
                    "The broker addresses published to clients; defaults to the broker listeners.")
            .define(LISTENER_SECURITY_PROTOCOL_MAP, STRING, DEFAULT_SECURITY_PROTOCOL_MAP, LOW,
                    "Listener name to security protocol.")
            .define(CONTROLLER_LISTENER_NAMES, LIST, null, ValidList.anyNonDuplicateValues(false, true), HIGH,
                    "The listener names used by the controllers.")
            .define(INTER_BROKER_LISTENER_NAME, STRING, null, MEDIUM,
                    "The listener brokers use to talk to each other.")
            .define(SECURITY_INTER_BROKER_PROTOCOL, STRING, "PLAINTEXT",
                    ValidString.in("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), MEDIUM,
                    "The inter-broker listener when inter.broker.listener.name is not set.")
            // log directories
            .define(LOG_DIRS, LIST, null, ValidList.anyNonDuplicateValues(false, true), HIGH,
                    "The directories holding the partition logs.")
            .define(LOG_DIR, STRING, "./data", HIGH, "The log directory when log.dirs is not set.")
            .define(METADATA_LOG_DIR, STRING, null, HIGH,
                    "The directory of the cluster metadata log; defaults to the first log directory.")
            // topic defaults
            .define(NUM_PARTITIONS, INT, 1, Range.atLeast(1), MEDIUM, "Default partitions per topic.")
            .define(DEFAULT_REPLICATION_FACTOR, SHORT, (short) 1, Range.atLeast(1), MEDIUM,
                    "Default replication factor per topic.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, HIGH, "Create topics on first metadata request.")
            .define(MESSAGE_MAX_BYTES, INT, 1048588, Range.atLeast(0), HIGH, "The largest record batch size allowed.")
            .define(LOG_SEGMENT_BYTES, INT, 1024 * 1024 * 1024, Range.atLeast(14), HIGH, "Maximum size of a segment file.")
            .define(LOG_ROLL_MS, LONG, null, nullOr(Range.atLeast(1)), HIGH, "Time before a new segment is rolled (ms).")
            .define(LOG_ROLL_HOURS, INT, 168, Range.atLeast(1), HIGH, "Time before a new segment is rolled (hours).")
            .define(LOG_ROLL_JITTER_MS, LONG, null, nullOr(Range.atLeast(0)), HIGH, "Maximum jitter subtracted from the roll time (ms).")
            .define(LOG_ROLL_JITTER_HOURS, INT, 0, Range.atLeast(0), HIGH, "Maximum jitter subtracted from the roll time (hours).")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, 10 * 1024 * 1024, Range.atLeast(4), MEDIUM, "Maximum size of an offset index.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, Range.atLeast(0), MEDIUM, "Bytes between offset index entries.")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, Range.atLeast(1), HIGH, "Records between fsyncs.")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, null, HIGH, "Maximum time between fsyncs; defaults to log.flush.scheduler.interval.ms.")
            .define(LOG_FLUSH_SCHEDULER_INTERVAL_MS, LONG, Long.MAX_VALUE, HIGH, "How often the flusher checks the logs.")
            .define(LOG_RETENTION_MS, LONG, null, HIGH, "Retention time (ms); -1 keeps forever.")
            .define(LOG_RETENTION_MINUTES, INT, null, HIGH, "Retention time (minutes).")
            .define(LOG_RETENTION_HOURS, INT, 168, HIGH, "Retention time (hours).")
            .define(LOG_RETENTION_BYTES, LONG, -1L, HIGH, "Maximum partition size before old segments are deleted; -1 no limit.")
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 300000L, Range.atLeast(1), MEDIUM, "How often retention is checked.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", ValidString.in("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are the producer's or the broker's.")
            .define(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, Range.atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie in the past.")
            .define(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 3600000L, Range.atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie in the future.")
            .define(LOG_SEGMENT_DELETE_DELAY_MS, LONG, 60000L, Range.atLeast(0), HIGH, "Delay before a deleted segment's files are removed.")
            .define(LOG_CLEANUP_POLICY, LIST, "delete", ValidList.in(false, "delete", "compact"), MEDIUM, "Default cleanup policy.")
            .define("log.cleaner.enable", BOOLEAN, true, MEDIUM, "Run the log cleaner for compacted topics.")
            .define("log.cleaner.min.cleanable.ratio", DOUBLE, 0.5d, Range.between(0, 1), MEDIUM, "Minimum dirty ratio to clean.")
            .define("log.cleaner.min.compaction.lag.ms", LONG, 0L, Range.atLeast(0), MEDIUM, "Minimum age before compaction.")
            .define("log.cleaner.max.compaction.lag.ms", LONG, Long.MAX_VALUE, Range.atLeast(1), MEDIUM, "Maximum age before compaction.")
            .define("log.cleaner.delete.retention.ms", LONG, 86400000L, Range.atLeast(0), MEDIUM, "Retention of tombstones.")
            .define(DELETE_TOPIC_ENABLE, BOOLEAN, true, HIGH, "Allow topic deletion.")
            // network
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 104857600, Range.atLeast(1), HIGH, "Largest request accepted.")
            .define(SOCKET_SEND_BUFFER_BYTES, INT, 102400, HIGH, "SO_SNDBUF; -1 uses the OS default.")
            .define(SOCKET_RECEIVE_BUFFER_BYTES, INT, 102400, HIGH, "SO_RCVBUF; -1 uses the OS default.")
            .define(NUM_NETWORK_THREADS, INT, 3, Range.atLeast(1), HIGH, "Network threads.")
            .define(QUEUED_MAX_REQUESTS, INT, 500, Range.atLeast(1), HIGH,
                    "Requests read from one connection that may await their response.")
            .define(CONNECTIONS_MAX_IDLE_MS, LONG, 600000L, HIGH, "Idle connections are closed after this time.")
            .define(NetworkLimits.QUEUED_MAX_REQUEST_BYTES, LONG, null, MEDIUM, "Request bytes read and not yet "
                    + "released, across all connections, before reading pauses; -1 no bound; default a quarter of the heap.")
            .define(BROKER_RACK, STRING, null, MEDIUM, "The rack of this broker, for rack-aware placement.")
            .define(REPLICA_SELECTOR_CLASS, STRING, null, MEDIUM, "The ReplicaSelector that picks the replica a"
                    + " consumer fetches from (KIP-392), e.g. org.apache.kafka.common.replica.RackAwareReplicaSelector;"
                    + " none: consumers fetch from leaders.")
            .define(BROKER_HEARTBEAT_INTERVAL_MS, INT, 2000, Range.atLeast(1), MEDIUM,
                    "Time between a broker's heartbeats to the active controller.")
            .define(BROKER_SESSION_TIMEOUT_MS, INT, 9000, Range.atLeast(1), MEDIUM,
                    "A broker not heard from for this long is fenced and its leaderships move.")
            // replication and internal topics
            .define("offsets.topic.replication.factor", SHORT, (short) 3, Range.atLeast(1), HIGH, "Replication of __consumer_offsets.")
            .define("offsets.topic.num.partitions", INT, 50, Range.atLeast(1), HIGH, "Partitions of __consumer_offsets.")
            .define("transaction.state.log.replication.factor", SHORT, (short) 3, Range.atLeast(1), HIGH, "Replication of __transaction_state.")
            .define("transaction.state.log.min.isr", INT, 2, Range.atLeast(1), HIGH, "min.insync.replicas of __transaction_state.")
            .define("transaction.state.log.num.partitions", INT, 50, Range.atLeast(1), HIGH, "Partitions of __transaction_state.")
            .define("transaction.state.log.segment.bytes", INT, 104857600, Range.atLeast(1), HIGH,
                    "segment.bytes of __transaction_state.")
            .define("transaction.max.timeout.ms", INT, 900000, Range.atLeast(1), HIGH,
                    "Largest transaction.timeout.ms a producer may ask; InitProducerId above it is refused.")
            .define("transactional.id.expiration.ms", INT, 604800000, Range.atLeast(1), HIGH,
                    "A transactional id without a transaction for this long is forgotten.")
            .define("transaction.abort.timed.out.transaction.cleanup.interval.ms", INT, 10000, Range.atLeast(1), LOW,
                    "Period of the check that aborts transactions older than their timeout.")
            .define("transaction.remove.expired.transaction.cleanup.interval.ms", INT, 3600000, Range.atLeast(1), LOW,
                    "Period of the check that removes expired transactional ids.")
            .define("transaction.partition.verification.enable", BOOLEAN, true, MEDIUM,
                    "Partition leaders confirm with the transaction coordinator that a transaction has the partition "
                            + "before its first transactional write there (KIP-890).")
            .define("group.initial.rebalance.delay.ms", INT, 3000, MEDIUM, "Wait for more members before the first rebalance.")
            .define("group.min.session.timeout.ms", INT, 6000, MEDIUM, "Smallest session.timeout.ms a classic member may ask.")
            .define("group.max.session.timeout.ms", INT, 1800000, MEDIUM, "Largest session.timeout.ms a classic member may ask.")
            .define("group.max.size", INT, Integer.MAX_VALUE, Range.atLeast(1), MEDIUM, "Members a classic group may hold.")
            .define("group.consumer.heartbeat.interval.ms", INT, 5000, Range.atLeast(1), MEDIUM,
                    "Heartbeat interval of consumer-protocol (KIP-848) members.")
            .define("group.consumer.session.timeout.ms", INT, 45000, Range.atLeast(1), MEDIUM,
                    "Session timeout of consumer-protocol (KIP-848) members.")
            .define("group.consumer.max.size", INT, Integer.MAX_VALUE, Range.atLeast(1), MEDIUM,
                    "Members a consumer-protocol group may hold.")
            .define("group.consumer.assignors", LIST, "uniform,range", MEDIUM,
                    "Server-side assignors of consumer-protocol groups; the first is the default.")
            .define("offset.metadata.max.bytes", INT, 4096, MEDIUM, "Largest metadata string of an offset commit.")
            .define("offsets.retention.minutes", INT, 10080, Range.atLeast(1), HIGH, "How long offsets of an empty group are kept.")
            .define("offsets.commit.timeout.ms", INT, 5000, Range.atLeast(1), HIGH,
                    "How long a coordinator's write may wait to be replicated before it is answered COORDINATOR_NOT_AVAILABLE.")
            .define("offsets.retention.check.interval.ms", LONG, 600000L, Range.atLeast(1), HIGH, "Period of the offset expiry check.")
            .define("min.insync.replicas", INT, 1, Range.atLeast(1), HIGH, "Replicas that must acknowledge acks=all.")
            .define("unclean.leader.election.enable", BOOLEAN, false, HIGH, "Allow out-of-sync replicas to become leader.")
            .define("producer.id.expiration.ms", INT, 86_400_000, Range.atLeast(1), LOW,
                    "How long a partition keeps the state of a producer that writes nothing to it.")
            .define(AUTO_LEADER_REBALANCE_ENABLE, BOOLEAN, true, HIGH,
                    "Move leaderships back to preferred replicas that are in the ISR.")
            .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, LONG, 300L, Range.atLeast(1), HIGH,
                    "Period of the leader balance check.")
            .define("replica.fetch.wait.max.ms", INT, 500, Range.atLeast(0), MEDIUM,
                    "Longest time a follower's fetch waits at the leader for data.")
            .define("replica.fetch.min.bytes", INT, 1, Range.atLeast(1), MEDIUM,
                    "Bytes a follower's fetch waits for before the leader answers.")
            .define("replica.fetch.max.bytes", INT, 1048576, Range.atLeast(0), MEDIUM,
                    "Bytes a follower fetches per partition (at least one batch).")
            .define("replica.fetch.response.max.bytes", INT, 10485760, Range.atLeast(0), MEDIUM,
                    "Bytes a follower fetches per request (at least one batch).")
            .define("replica.fetch.backoff.ms", INT, 1000, Range.atLeast(0), MEDIUM,
                    "Wait after a failed follower fetch before the next.")
            .define("replica.lag.time.max.ms", LONG, 30000L, Range.atLeast(1), HIGH,
                    "A follower that has not caught up with the leader for this long leaves the ISR.")
            .define("replica.socket.timeout.ms", INT, 30000, Range.atLeast(1), MEDIUM,
                    "Timeout of an inter-broker request beyond its own wait.")
            .define(QUOTA_WINDOW_NUM, INT, 11, Range.atLeast(1), LOW,
                    "Samples a client quota's rate is measured over.")
            .define(QUOTA_WINDOW_SIZE_SECONDS, INT, 1, Range.atLeast(1), LOW,
                    "Length of one sample of a client quota's rate.")
            // security
            .define(AUTHORIZER_CLASS_NAME, STRING, "", new ConfigDef.NonNullValidator(), LOW,
                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer checks every request against the ACLs"
                    + " in the metadata log; empty: no authorization.")
            .define(SUPER_USERS, STRING, "", new ConfigDef.NonNullValidator(), LOW,
                    "Principals allowed every operation whatever the ACLs, separated by semicolons (User:admin;User:CN=broker).")
            .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, BOOLEAN, false, LOW,
                    "Whether a resource without any ACL is open to every principal (true) or to super users only."),
            // the log cleaner's settings, the thread counts and the connection limits that may change at run time
            DynamicBrokerConfigDef.BROKER_KEYS);

    private BrokerConfigDef() {
    }

    private static ConfigDef withKeys(ConfigDef def, ConfigDef more) {
        more.configKeys().values().forEach(def::define);
        return def;
    }

    /** Kafka's validators reject null; an optional key without a default must accept it. */
    private static ConfigDef.Validator nullOr(ConfigDef.Validator validator) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null) {
                validator.ensureValid(name, value);
            }
        }, validator::toString);
    }
}
