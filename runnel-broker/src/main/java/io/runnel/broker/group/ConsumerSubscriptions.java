package io.runnel.broker.group;

import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

import java.nio.ByteBuffer;

/** Reads the topics of a classic consumer's subscription (the JoinGroup metadata of protocol type "consumer"). */
final class ConsumerSubscriptions {
    static final String PROTOCOL_TYPE = "consumer";

    private ConsumerSubscriptions() {
    }

    /** True if the subscription names the topic, or cannot be read (then the topic must be assumed in use). */
    static boolean mayInclude(byte[] metadata, String topic) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            ConsumerProtocolSubscription subscription =
                    new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), version);
            return subscription.topics().contains(topic);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
