package io.runnel.metadata;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/** The outcome for one resource of an alter-configs call. */
public record ConfigResult(ConfigResource resource, Errors error, String message) {

    public static ConfigResult success(ConfigResource resource) {
        return new ConfigResult(resource, Errors.NONE, null);
    }
}
