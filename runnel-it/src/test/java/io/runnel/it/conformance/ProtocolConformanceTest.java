package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.wire.ApiConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every API the broker advertises, at every version of its advertised range, as a client of that version speaks it:
 * the scenario of the API (see {@link Scenarios}) runs against a populated cluster, and each answer must parse at the
 * version, carry no UNSUPPORTED_VERSION or UNKNOWN_SERVER_ERROR anywhere, and hold what Kafka would answer.
 */
class ProtocolConformanceTest {
    private static final Map<ApiKeys, ApiScenario> SCENARIOS = Scenarios.ALL.stream()
            .collect(Collectors.toMap(ApiScenario::api, Function.identity()));
    private static Fixture fixture;

    @BeforeAll
    static void startCluster() throws Exception {
        fixture = Fixture.start();
    }

    @AfterAll
    static void stopCluster() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyAdvertisedVersionOfEveryApi() throws Exception {
        return advertised(fixture.bootstrapServers()).stream().map(range -> {
            ApiKeys api = ApiKeys.forId(range.apiKey());
            ApiScenario scenario = SCENARIOS.get(api);
            Stream<DynamicTest> versions = IntStream.rangeClosed(range.minVersion(), range.maxVersion())
                    .mapToObj(v -> DynamicTest.dynamicTest(api.name + " v" + v, () -> {
                        if (scenario == null) {
                            fail(api.name + " is advertised but has no conformance scenario");
                        }
                        try (Exchange exchange = new Exchange(api, (short) v, fixture)) {
                            scenario.run(exchange);
                        }
                    }));
            return DynamicContainer.dynamicContainer(api.name, versions);
        });
    }

    @Test
    void everyAdvertisedApiHasAScenario() throws Exception {
        Set<String> advertised = advertised(fixture.bootstrapServers()).stream()
                .map(v -> ApiKeys.forId(v.apiKey()).name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = SCENARIOS.keySet().stream().map(k -> k.name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(advertised, covered, "APIs with a conformance scenario vs the APIs the broker advertises");
        assertEquals(Scenarios.ALL.size(), SCENARIOS.size(), "one scenario per API");
    }

    /**
     * librdkafka and KafkaJS list offsets at v1-v3, whose responses have no leader epoch: latest, earliest and by
     * timestamp must answer there. (v0 is below kafka-clients 4.4's oldest ListOffsets version, so not advertised.)
     */
    @Test
    void listOffsetsV1ToV3AnswerLatestEarliestAndByTimestamp() throws Exception {
        for (short version = 1; version <= 3; version++) {
            try (Exchange x = new Exchange(ApiKeys.LIST_OFFSETS, version, fixture)) {
                ListOffsetsScenario.check(x, ListOffsetsScenario.lookup(x, ListOffsetsScenario.LATEST), -1,
                        Fixture.RECORDS_P0, "latest at v" + version);
                ListOffsetsScenario.check(x, ListOffsetsScenario.lookup(x, ListOffsetsScenario.EARLIEST), -1, 0,
                        "earliest at v" + version);
                long timestamp = fixture.timestamp(ListOffsetsScenario.LOOKED_UP_OFFSET);
                ListOffsetsScenario.check(x, ListOffsetsScenario.lookup(x, timestamp), timestamp,
                        ListOffsetsScenario.LOOKED_UP_OFFSET, "timestamp at v" + version);
            }
        }
    }

    /** Metadata v0 has no null topic list: an empty one asks for every topic (librdkafka's full refresh). */
    @Test
    void metadataV0WithAnEmptyTopicListDescribesEveryTopic() throws Exception {
        try (Exchange x = new Exchange(ApiKeys.METADATA, (short) 0, fixture)) {
            MetadataResponseData response = x.send(new MetadataRequestData().setTopics(List.of()));
            Set<String> names = response.topics().stream().map(MetadataResponseData.MetadataResponseTopic::name)
                    .collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of(Fixture.TOPIC, Fixture.PRODUCE_TOPIC, Fixture.TRIM_TOPIC,
                    Fixture.CONFIG_TOPIC)), "topics of a v0 request with an empty list: " + names);
        }
    }

    /** Without an authorizer, every operation is authorized, as the Admin client shows when asked. */
    @Test
    void adminSeesEveryOperationAuthorized() throws Exception {
        Admin admin = fixture.admin();
        assertEquals(KafkaOperations.TOPIC, admin.describeTopics(List.of(Fixture.TOPIC),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get()
                .get(Fixture.TOPIC).authorizedOperations(), "topic");
        assertEquals(KafkaOperations.CLUSTER, admin.describeCluster(
                new DescribeClusterOptions().includeAuthorizedOperations(true)).authorizedOperations().get(), "cluster");
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(
                List.of(Fixture.CLASSIC_GROUP, Fixture.CONSUMER_GROUP),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get();
        assertEquals(KafkaOperations.GROUP, groups.get(Fixture.CLASSIC_GROUP).authorizedOperations(), "classic group");
        assertEquals(KafkaOperations.GROUP, groups.get(Fixture.CONSUMER_GROUP).authorizedOperations(), "consumer group");
    }

    /** The broker's advertised API ranges, as kafka-clients 4.4 asks for them. */
    static ApiVersionsResponseData.ApiVersionCollection advertised(String bootstrapServers) throws Exception {
        try (ApiConnection connection = new ApiConnection(bootstrapServers, "conformance")) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) connection.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("runnel-conformance").setClientSoftwareVersion("1.0"),
                    ApiKeys.API_VERSIONS.latestVersion(false));
            assertEquals(Errors.NONE.code(), response.errorCode(), "ApiVersions error");
            return response.apiKeys();
        }
    }
}
