package io.runnel.broker.config;

import io.runnel.metadata.quorum.QuorumTransport;
import io.runnel.metadata.quorum.QuorumVotersFile;
import io.runnel.metadata.quorum.VoterDiscovery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The voters a node starts its metadata quorum member with: {@code controller.quorum.voters} when set (a static
 * quorum); else the voters this node last saw committed ({@link QuorumVotersFile}, first written by
 * {@code runnel storage format --standalone | --initial-controllers}); else, for a controller whose only bootstrap
 * server is itself, that controller alone; else whatever {@code controller.quorum.bootstrap.servers} name.
 */
public final class StartupVoters {
    private StartupVoters() {
    }

    public static Map<Integer, InetSocketAddress> of(BrokerConfig config, String clusterId, QuorumTransport transport,
                                                     Duration discoveryTimeout) throws IOException {
        if (config.hasStaticVoters()) {
            return config.controllerQuorumVoters();
        }
        Optional<Map<Integer, InetSocketAddress>> known = QuorumVotersFile.read(config.metadataLogDir());
        if (known.isPresent()) {
            Map<Integer, InetSocketAddress> voters = new TreeMap<>(known.get());
            // A voter binds its controller listener where its configuration says, as with a static quorum.
            voters.computeIfPresent(config.nodeId(), (id, address) -> config.controllerEndpoint());
            return voters;
        }
        if (!config.controllerQuorumVoters().isEmpty()) {
            return config.controllerQuorumVoters();
        }
        return VoterDiscovery.voters(clusterId, config.controllerQuorumBootstrapServers(), transport, discoveryTimeout);
    }
}
