package io.runnel.metadata;

import org.apache.kafka.common.protocol.Errors;

/** The outcome of one change of an alter-SCRAM-credentials call. */
public record ScramCredentialResult(String user, String mechanism, Errors error, String message) {
}
