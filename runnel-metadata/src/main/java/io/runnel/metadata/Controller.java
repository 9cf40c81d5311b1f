package io.runnel.metadata;

import io.runnel.metadata.record.ScramCredentialRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
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

/**
 * The active controller's operations, callable on every node. Per-topic errors are results; a failed future means the quorum is
 * unavailable ({@code NotControllerException} or {@code TimeoutException}).
 */
public interface Controller {
    /** Kafka's BrokerRegistration: the answer carries the error code or the new broker epoch. */
    CompletableFuture<BrokerRegistrationResponseData> registerBroker(BrokerRegistrationRequestData request);

    /** Kafka's BrokerHeartbeat: keeps the session, unfences a caught-up broker, fences or shuts one down on request. */
    CompletableFuture<BrokerHeartbeatResponseData> brokerHeartbeat(BrokerHeartbeatRequestData request);

    /**
     * Kafka's reserved directory id LOST (DirectoryId.LOST): a replica assigned to it lives in a log dir its broker
     * took offline.
     */
    Uuid LOST_DIRECTORY = new Uuid(0L, 1L);

    /**
     * Kafka's AssignReplicasToDirs, for the replicas a broker lost with a log dir: those assigned to
     * {@link #LOST_DIRECTORY} leave the ISR and leadership of their partitions, as Kafka's controller takes a broker's
     * replicas in an offline dir out. Runnel keeps no record of which dir holds a replica, so other directory ids
     * change nothing. Per-partition errors; STALE_BROKER_EPOCH for a sender not registered at that epoch.
     */
    CompletableFuture<AssignReplicasToDirsResponseData> assignReplicasToDirs(AssignReplicasToDirsRequestData request);

    /** Kafka's AlterPartition: ISR changes from partition leaders, with per-partition errors. */
    CompletableFuture<AlterPartitionResponseData> alterPartition(AlterPartitionRequestData request);

    CompletableFuture<List<TopicResult>> createTopics(List<CreateTopicSpec> specs, boolean validateOnly);

    /** Results by name; for id lookups the name is filled in. */
    CompletableFuture<List<TopicResult>> deleteTopics(List<String> names, List<Uuid> ids);

    CompletableFuture<List<TopicResult>> createPartitions(List<CreatePartitionsSpec> specs, boolean validateOnly);

    /**
     * IncrementalAlterConfigs on topics and brokers (broker id, or "" for the cluster-wide default): SET, DELETE,
     * APPEND and SUBTRACT applied to the current overrides, each resource validated and written on its own.
     */
    CompletableFuture<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigChange>> changes,
                                                                  boolean validateOnly);

    /** The legacy AlterConfigs: each resource's overrides become exactly {@code configs}. */
    CompletableFuture<List<ConfigResult>> replaceConfigs(Map<ConfigResource, Map<String, String>> configs,
                                                         boolean validateOnly);

    /**
     * Kafka's ElectLeaders: preferred or unclean elections for the named partitions, or for every partition when
     * none are named; fails with {@code InvalidRequestException} for an unknown election type.
     */
    CompletableFuture<ElectLeadersResponseData> electLeaders(ElectLeadersRequestData request);

    /**
     * Kafka's AlterPartitionReassignments: starts, replaces or (with null replicas) cancels the reassignment of each
     * named partition, with per-partition errors.
     */
    CompletableFuture<AlterPartitionReassignmentsResponseData> alterPartitionReassignments(
            AlterPartitionReassignmentsRequestData request);

    /** Kafka's ListPartitionReassignments: the reassignments in progress, of the named partitions or of all. */
    CompletableFuture<ListPartitionReassignmentsResponseData> listPartitionReassignments(
            ListPartitionReassignmentsRequestData request);

    /**
     * Kafka's UnregisterBroker: removes the broker's registration after taking it out of every ISR and leadership;
     * fails with {@code BrokerIdNotRegisteredException} for a broker that is not registered.
     */
    CompletableFuture<Void> unregisterBroker(int brokerId);

    /**
     * Kafka's AlterUserScramCredentials as records: each change sets a user's credential for one mechanism, or
     * deletes it when its credential is null; deleting a credential that does not exist is RESOURCE_NOT_FOUND and
     * writes nothing. One result per change, in order.
     */
    CompletableFuture<List<ScramCredentialResult>> alterScramCredentials(List<ScramCredentialRecord> changes);

    /**
     * Kafka's CreateAcls: each binding stored as an ACL of its own, or refused with INVALID_REQUEST and why; one
     * result per binding, in order, all written in one entry.
     */
    CompletableFuture<List<AclResult>> createAcls(List<AclBinding> bindings);

    /** Kafka's DeleteAcls: every ACL a filter matches deleted; one result per filter, in order, with those ACLs. */
    CompletableFuture<List<AclResult>> deleteAcls(List<AclBindingFilter> filters);

    /**
     * Kafka's AlterClientQuotas: each entity's quota changes validated and written (nothing written with
     * validateOnly), with one result per entity, in order.
     */
    CompletableFuture<AlterClientQuotasResponseData> alterClientQuotas(AlterClientQuotasRequestData request);

    /** The first id of a persisted block of {@code count} producer ids. */
    CompletableFuture<Long> allocateProducerIds(int brokerId, int count);
}
