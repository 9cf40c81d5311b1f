package io.runnel.broker.network;

import org.apache.kafka.common.security.auth.SecurityProtocol;

/** One listener ({@code listeners=NAME://host:port}): an empty or null host binds every interface, port 0 an ephemeral port. */
public record ListenerSpec(String name, String host, int port, SecurityProtocol protocol) {
}
