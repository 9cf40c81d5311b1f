package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterUserScramCredentials and DescribeUserScramCredentials (KIP-554) with Kafka's per-user errors: an accepted
 * upsertion, too few iterations, the deletion of a credential that does not exist; a user without credentials.
 */
final class ScramCredentialsScenarios {
    private ScramCredentialsScenarios() {
    }

    static final class Alter implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            String user = "conformance-v" + x.version();
            AlterUserScramCredentialsRequestData request = new AlterUserScramCredentialsRequestData()
                    .setUpsertions(List.of(upsertion(user, 4096), upsertion(user + "-few", 1000)))
                    .setDeletions(List.of(new ScramCredentialDeletion().setName(user + "-absent")
                            .setMechanism(ScramMechanism.SCRAM_SHA_256.type())));
            AlterUserScramCredentialsResponseData response = x.send(request);
            assertEquals(3, response.results().size(), "results");
            for (AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult r : response.results()) {
                Errors expected = r.user().equals(user) ? Errors.NONE
                        : r.user().endsWith("-few") ? Errors.UNACCEPTABLE_CREDENTIAL : Errors.RESOURCE_NOT_FOUND;
                assertEquals(expected.code(), r.errorCode(), r.user() + ": " + r.errorMessage());
            }
        }

        private static ScramCredentialUpsertion upsertion(String user, int iterations) {
            return new ScramCredentialUpsertion().setName(user).setMechanism(ScramMechanism.SCRAM_SHA_256.type())
                    .setIterations(iterations).setSalt(new byte[]{1, 2, 3, 4}).setSaltedPassword(new byte[32]);
        }
    }

    static final class Describe implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            DescribeUserScramCredentialsResponseData response = x.send(new DescribeUserScramCredentialsRequestData()
                    .setUsers(List.of(new DescribeUserScramCredentialsRequestData.UserName().setName("nobody"))));
            assertEquals(Errors.NONE.code(), response.errorCode(), "error");
            assertEquals(1, response.results().size(), "results");
            assertEquals(Errors.RESOURCE_NOT_FOUND.code(), response.results().get(0).errorCode(), "nobody");
            assertEquals(List.of(), response.results().get(0).credentialInfos(), "no credentials");
        }
    }
}
