package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.net.InetSocketAddress;

/**
 * Who sent a request and how: what a handler may need besides the request body (authorization, quotas, logging);
 * {@code saslSession} is the connection's SASL session when its listener makes clients log in again, else null;
 * {@code throttle} is how long the connection is muted after the response, for a client over a quota.
 */
public record RequestContext(ApiKeys apiKey, short apiVersion, int correlationId, String clientId,
                             String clientSoftwareName, String clientSoftwareVersion, InetSocketAddress remoteAddress,
                             String listenerName, SecurityProtocol securityProtocol,
                             KafkaPrincipal principal, SaslSession saslSession,
                             RequestThrottle throttle) {
}
