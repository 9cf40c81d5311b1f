package io.runnel.metadata;

import org.apache.kafka.clients.admin.AlterConfigOp;

/** One operation of an incremental config change; {@code value} is ignored by DELETE. */
public record ConfigChange(String key, AlterConfigOp.OpType op, String value) {
}
