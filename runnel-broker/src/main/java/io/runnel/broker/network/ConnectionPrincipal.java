package io.runnel.broker.network;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Who is on the other end of a connection, once the handlers that authenticate (TLS; SASL would be next) have set
 * it: {@code User:ANONYMOUS} until then, and on a PLAINTEXT listener.
 */
final class ConnectionPrincipal {
    private static final AttributeKey<KafkaPrincipal> KEY = AttributeKey.valueOf("runnel.principal");

    private ConnectionPrincipal() {
    }

    static void set(Channel channel, KafkaPrincipal principal) {
        channel.attr(KEY).set(principal);
    }

    static KafkaPrincipal of(Channel channel) {
        KafkaPrincipal principal = channel.attr(KEY).get();
        return principal == null ? KafkaPrincipal.ANONYMOUS : principal;
    }
}
