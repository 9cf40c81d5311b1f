package io.runnel.broker.protocol;

import io.runnel.broker.security.SaslSettings;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.SaslServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server side of each SASL mechanism, kafka-clients' own implementations: PLAIN checks the
 * {@code user_<name>="<password>"} options of the listener's {@code PlainLoginModule} entry, as Kafka's broker does.
 */
public final class SaslServers {
    private SaslServers() {
    }

    /** For each mechanism the listener enables, a supplier of a new server per authentication. */
    public static Map<String, Supplier<SaslServer>> of(SaslSettings settings) {
        Map<String, Supplier<SaslServer>> servers = new HashMap<>();
        for (String mechanism : settings.mechanisms()) {
            if (mechanism.equals(SaslSettings.PLAIN)) {
                servers.put(mechanism, plain(settings.jaasEntries(mechanism)));
            }
        }
        return servers;
    }

    /** A new PLAIN server per authentication, all checking the users of {@code jaasEntries}. */
    private static Supplier<SaslServer> plain(List<AppConfigurationEntry> jaasEntries) {
        PlainServerCallbackHandler users = new PlainServerCallbackHandler();
        users.configure(Map.of(), PlainSaslServer.PLAIN_MECHANISM, jaasEntries);
        return () -> new PlainSaslServer(users);
    }
}
