package io.runnel.metadata.quorum;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * How the metadata quorum's members reach each other: Ratis's Netty transport on a PLAINTEXT controller listener,
 * its gRPC transport with TLS on an SSL one (Ratis 3.3.0 has TLS for gRPC only). Every Ratis server and client a
 * node makes takes its properties and parameters from here, so that none speaks plaintext to a TLS quorum.
 */
public final class QuorumTransport {
    private static final QuorumTransport PLAINTEXT = new QuorumTransport(null);
    private static final long DISCOVERY_REQUEST_TIMEOUT_MS = 5_000;

    /** Null on a plaintext quorum. */
    private final GrpcTlsConfig tls;

    private QuorumTransport(GrpcTlsConfig tls) {
        this.tls = tls;
    }

    public static QuorumTransport plaintext() {
        return PLAINTEXT;
    }

    /**
     * TLS with this node's key and the certificates it trusts; with {@code mutual}, every member also proves itself
     * with its key to the one it connects to.
     */
    public static QuorumTransport tls(KeyManager key, TrustManager trust, boolean mutual) {
        return new QuorumTransport(new GrpcTlsConfig(key, trust, mutual));
    }

    public boolean isTls() {
        return tls != null;
    }

    /** Properties with this transport, its server bound at {@code address}. */
    RaftProperties serverProperties(InetSocketAddress address) {
        RaftProperties properties = new RaftProperties();
        if (tls == null) {
            RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
            NettyConfigKeys.Server.setHost(properties, address.getHostString());
            NettyConfigKeys.Server.setPort(properties, address.getPort());
        } else {
            RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
            GrpcConfigKeys.Server.setHost(properties, address.getHostString());
            GrpcConfigKeys.Server.setPort(properties, address.getPort());
        }
        return properties;
    }

    /** Properties of a client that only asks a member a question (which group it runs, who leads it). */
    RaftProperties clientProperties() {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, tls == null ? SupportedRpcType.NETTY : SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(DISCOVERY_REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return properties;
    }

    /** The TLS settings of the servers and clients; null on a plaintext quorum. */
    Parameters parameters() {
        if (tls == null) {
            return null;
        }
        Parameters parameters = new Parameters();
        GrpcConfigKeys.Server.setTlsConf(parameters, tls);
        GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
        GrpcConfigKeys.Client.setTlsConf(parameters, tls);
        GrpcConfigKeys.TLS.setConf(parameters, tls);
        return parameters;
    }

    /** A client of {@code group} with {@code properties}, which tries each request once. */
    RaftClient.Builder client(RaftProperties properties, RaftGroup group) {
        return RaftClient.newBuilder().setProperties(properties).setParameters(parameters()).setRaftGroup(group)
                .setClientId(ClientId.randomId()).setRetryPolicy(RetryPolicies.noRetry());
    }
}
