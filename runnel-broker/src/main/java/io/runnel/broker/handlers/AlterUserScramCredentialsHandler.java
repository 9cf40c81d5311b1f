package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.ScramCredentials;
import io.runnel.metadata.Controller;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.record.ScramCredentialRecord;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AlterUserScramCredentials (KIP-554) with Kafka's checks and errors: a user altered twice in one request is
 * DUPLICATE_RESOURCE, an empty name or an iteration count outside 4096..16384 UNACCEPTABLE_CREDENTIAL, an unknown
 * mechanism UNSUPPORTED_SASL_MECHANISM, the deletion of a credential that does not exist RESOURCE_NOT_FOUND (the
 * controller's answer). An upsertion's salted password becomes the stored and server keys here; only they, the salt
 * and the iterations reach the metadata log, in one entry.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler {
    /** Kafka's upper bound on iterations. */
    private static final int MAX_ITERATIONS = 16384;

    private final Controller controller;

    public AlterUserScramCredentialsHandler(Controller controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AlterUserScramCredentialsRequestData request = (AlterUserScramCredentialsRequestData) message;
        Map<String, AlterUserScramCredentialsResult> refused = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<ScramCredentialRecord> changes = new ArrayList<>();
        for (ScramCredentialDeletion deletion : request.deletions()) {
            if (accepted(deletion.name(), deletion.mechanism(), seen, refused)) {
                changes.add(new ScramCredentialRecord(deletion.name(), mechanism(deletion.mechanism()), null));
            }
        }
        for (ScramCredentialUpsertion upsertion : request.upsertions()) {
            if (!accepted(upsertion.name(), upsertion.mechanism(), seen, refused)) {
                continue;
            }
            String mechanism = mechanism(upsertion.mechanism());
            if (upsertion.iterations() < ScramCredentials.minIterations(mechanism)) {
                refused.put(upsertion.name(), result(upsertion.name(), Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
            } else if (upsertion.iterations() > MAX_ITERATIONS) {
                refused.put(upsertion.name(), result(upsertion.name(), Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations"));
            } else {
                changes.add(new ScramCredentialRecord(upsertion.name(), mechanism, ScramCredentials.fromSaltedPassword(
                        mechanism, upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations())));
            }
        }
        // A user refused for its second alteration drops its first one too.
        changes.removeIf(change -> refused.containsKey(change.user()));
        CompletableFuture<List<ScramCredentialResult>> written = changes.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : controller.alterScramCredentials(changes);
        return written.thenApply(results -> {
            AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
            for (ScramCredentialResult r : results) {
                response.results().add(result(r.user(), r.error(), r.message()));
            }
            response.results().addAll(refused.values());
            return response;
        });
    }

    /** Whether this alteration of {@code user} may go on; if not, why is recorded in {@code refused}. */
    private static boolean accepted(String user, byte mechanismType, Set<String> seen,
                                    Map<String, AlterUserScramCredentialsResult> refused) {
        if (refused.containsKey(user)) {
            return false;
        }
        AlterUserScramCredentialsResult result = null;
        if (!seen.add(user)) {
            result = result(user, Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
        } else if (user.isEmpty()) {
            result = result(user, Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        } else if (ScramMechanism.fromType(mechanismType) == ScramMechanism.UNKNOWN) {
            result = result(user, Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        if (result != null) {
            refused.put(user, result);
        }
        return result == null;
    }

    private static String mechanism(byte type) {
        return ScramMechanism.fromType(type).mechanismName();
    }

    private static AlterUserScramCredentialsResult result(String user, Errors error, String message) {
        return new AlterUserScramCredentialsResult().setUser(user).setErrorCode(error.code()).setErrorMessage(message);
    }
}
