package io.runnel.metadata.record;

import org.apache.kafka.common.config.ConfigResource;

/**
 * A config override set on a topic or broker; a null {@code value} deletes it. The empty broker name is the
 * cluster-wide broker default.
 */
public record ConfigRecord(ConfigResource.Type resourceType, String resourceName, String key, String value)
        implements MetadataRecord {
}
