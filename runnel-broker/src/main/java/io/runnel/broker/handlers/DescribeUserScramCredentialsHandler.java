package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.ScramCredentials;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.MetadataImage;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials (KIP-554) from this broker's metadata image: each user's mechanisms and iteration
 * counts, never the keys; every user with credentials when none is named. As in Kafka, a named user without
 * credentials is RESOURCE_NOT_FOUND and a user named twice DUPLICATE_RESOURCE.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public DescribeUserScramCredentialsHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeUserScramCredentialsRequestData request = (DescribeUserScramCredentialsRequestData) message;
        MetadataImage image = replicas.image();
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        List<String> users = request.users() == null ? List.copyOf(new TreeSet<>(image.scramUsers()))
                : request.users().stream().map(UserName::name).toList();
        Set<String> duplicates = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String user : users) {
            if (!seen.add(user)) {
                duplicates.add(user);
            }
        }
        for (String user : new LinkedHashSet<>(users)) {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
            Map<String, String> credentials = image.scramCredentials(user);
            if (duplicates.contains(user)) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                        .setErrorMessage("Cannot describe SCRAM credentials for the same user twice in a single request");
            } else if (credentials.isEmpty()) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe a user credential that does not exist");
            } else {
                new TreeMap<>(credentials).forEach((mechanism, credential) -> result.credentialInfos().add(
                        new CredentialInfo().setMechanism(ScramMechanism.fromMechanismName(mechanism).type())
                                .setIterations(ScramCredentials.iterations(credential))));
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }
}
