package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterClientQuotas and DescribeClientQuotas (KIP-546) with Kafka's errors: an accepted quota and an unknown key in
 * one request; the quota described by an exact filter; a filter naming a type twice is INVALID_REQUEST.
 */
final class ClientQuotasScenarios {
    private ClientQuotasScenarios() {
    }

    static final class Alter implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.ALTER_CLIENT_QUOTAS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            String user = "conformance-quota-v" + x.version();
            AlterClientQuotasResponseData response = x.send(new AlterClientQuotasRequestData().setEntries(List.of(
                    entry(user, "producer_byte_rate"), entry(user + "-bad", "produce_rate"))));
            assertEquals(2, response.entries().size(), "entries");
            assertEquals(Errors.NONE.code(), response.entries().get(0).errorCode(), response.entries().get(0).errorMessage());
            assertEquals(Errors.INVALID_REQUEST.code(), response.entries().get(1).errorCode(), "an unknown key");
            assertEquals("Invalid configuration key produce_rate", response.entries().get(1).errorMessage());
        }

        private static AlterClientQuotasRequestData.EntryData entry(String user, String key) {
            return new AlterClientQuotasRequestData.EntryData()
                    .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType("user")
                            .setEntityName(user)))
                    .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey(key).setValue(1024)));
        }
    }

    static final class Describe implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            DescribeClientQuotasResponseData none = x.send(new DescribeClientQuotasRequestData().setComponents(List.of(
                    component("nobody-has-quotas"))).setStrict(true));
            assertEquals(Errors.NONE.code(), none.errorCode(), none.errorMessage());
            assertEquals(List.of(), none.entries(), "no entity matches");
            DescribeClientQuotasResponseData twice = x.send(new DescribeClientQuotasRequestData().setComponents(List.of(
                    component("a"), component("b"))));
            assertEquals(Errors.INVALID_REQUEST.code(), twice.errorCode(), "a type named twice");
        }

        private static DescribeClientQuotasRequestData.ComponentData component(String user) {
            return new DescribeClientQuotasRequestData.ComponentData().setEntityType("user").setMatchType((byte) 0)
                    .setMatch(user);
        }
    }
}
