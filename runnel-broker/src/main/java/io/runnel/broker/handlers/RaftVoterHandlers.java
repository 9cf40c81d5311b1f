package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.metadata.MetadataQuorum;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterResponseData;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.message.RemoveRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddRaftVoter and RemoveRaftVoter (KIP-853, {@code runnel metadata-quorum add-controller | remove-controller}),
 * served on any node: the metadata quorum's Ratis client takes the change to its leader. A voter is reached at one
 * controller listener: the request's listener named in this cluster's {@code controller.listener.names}, else its
 * first. A voter is its node id and metadata directory id, as in KRaft: a directory other than the one the node
 * registered is refused (see {@link MetadataQuorum#addVoter}, {@link MetadataQuorum#removeVoter}). A refusal
 * carries the reason in its error message (Kafka's generic error responses carry only the error code's own text).
 */
public final class RaftVoterHandlers {
    private static final BiFunction<Errors, String, ApiMessage> ADD_ANSWER = (error, message) ->
            new AddRaftVoterResponseData().setErrorCode(error.code()).setErrorMessage(message);
    private static final BiFunction<Errors, String, ApiMessage> REMOVE_ANSWER = (error, message) ->
            new RemoveRaftVoterResponseData().setErrorCode(error.code()).setErrorMessage(message);

    private RaftVoterHandlers() {
    }

    public static ApiHandler add(MetadataQuorum quorum, String clusterId, String controllerListener) {
        return (ctx, message) -> {
            AddRaftVoterRequestData request = (AddRaftVoterRequestData) message;
            AddRaftVoterRequestData.Listener listener = request.listeners().find(controllerListener);
            if (listener == null && !request.listeners().isEmpty()) {
                listener = request.listeners().iterator().next();
            }
            CompletableFuture<Void> added;
            if (!sameCluster(request.clusterId(), clusterId)) {
                added = CompletableFuture.failedFuture(otherCluster(request.clusterId(), clusterId));
            } else if (listener == null) {
                added = CompletableFuture.failedFuture(new InvalidRequestException("Voter " + request.voterId()
                        + " names no listener"));
            } else {
                added = quorum.addVoter(request.voterId(), request.voterDirectoryId(),
                        InetSocketAddress.createUnresolved(listener.host(), listener.port()), request.timeoutMs());
            }
            return answer(added, ADD_ANSWER);
        };
    }

    /** RemoveRaftVoter carries no timeout: the change gets {@code timeoutMs}. */
    public static ApiHandler remove(MetadataQuorum quorum, String clusterId, long timeoutMs) {
        return (ctx, message) -> {
            RemoveRaftVoterRequestData request = (RemoveRaftVoterRequestData) message;
            return answer(sameCluster(request.clusterId(), clusterId) ? quorum.removeVoter(request.voterId(),
                    request.voterDirectoryId(), timeoutMs)
                    : CompletableFuture.failedFuture(otherCluster(request.clusterId(), clusterId)), REMOVE_ANSWER);
        };
    }

    private static boolean sameCluster(String requested, String clusterId) {
        return requested == null || requested.equals(clusterId);
    }

    private static InconsistentClusterIdException otherCluster(String requested, String clusterId) {
        return new InconsistentClusterIdException("This cluster's id is " + clusterId + ", not " + requested);
    }

    private static CompletableFuture<ApiMessage> answer(CompletableFuture<Void> change,
                                                        BiFunction<Errors, String, ApiMessage> response) {
        return change.handle((done, error) -> {
            if (error == null) {
                return response.apply(Errors.NONE, null);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return response.apply(Errors.forException(cause), cause.getMessage());
        });
    }
}
