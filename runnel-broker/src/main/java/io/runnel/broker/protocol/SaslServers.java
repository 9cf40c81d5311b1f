package io.runnel.broker.protocol;

import io.runnel.broker.security.SaslSettings;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.SaslServer;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The server side of each SASL mechanism, kafka-clients' own implementations: PLAIN checks the
 * {@code user_<name>="<password>"} options of the listener's {@code PlainLoginModule} entry, as Kafka's broker does;
 * SCRAM-SHA-256 and SCRAM-SHA-512 check a client's proof against the user's credential in the metadata image.
 */
public final class SaslServers {
    private SaslServers() {
    }

    /**
     * For each mechanism the listener enables, a supplier of a new server per authentication.
     *
     * @param scramCredentials a user's SCRAM credential for a mechanism, in Kafka's string form ({@link
     *                         ScramCredentials}), or null when it has none
     */
    public static Map<String, Supplier<SaslServer>> of(SaslSettings settings,
                                                      BiFunction<String, String, String> scramCredentials) {
        Map<String, Supplier<SaslServer>> servers = new HashMap<>();
        for (String mechanism : settings.mechanisms()) {
            servers.put(mechanism, mechanism.equals(SaslSettings.PLAIN) ? plain(settings.jaasEntries(mechanism))
                    : scram(mechanism, scramCredentials));
        }
        return servers;
    }

    /** A new PLAIN server per authentication, all checking the users of {@code jaasEntries}. */
    private static Supplier<SaslServer> plain(List<AppConfigurationEntry> jaasEntries) {
        PlainServerCallbackHandler users = new PlainServerCallbackHandler();
        users.configure(Map.of(), PlainSaslServer.PLAIN_MECHANISM, jaasEntries);
        return () -> new PlainSaslServer(users);
    }

    private static Supplier<SaslServer> scram(String mechanism, BiFunction<String, String, String> credentials) {
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        CallbackHandler lookup = callbacks -> {
            String user = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    user = name.getDefaultName();
                } else if (callback instanceof ScramCredentialCallback credential) {
                    String found = user == null ? null : credentials.apply(user, mechanism);
                    credential.scramCredential(found == null ? null : ScramCredentials.parse(found));
                } else {
                    // delegation tokens (the tokenauth extension): Runnel has none
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
        return () -> {
            try {
                return new ScramSaslServer(scram, Map.of(), lookup);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("The JVM lacks " + mechanism + "'s algorithms", e);
            }
        };
    }
}
