package io.runnel.broker.protocol;

import io.runnel.broker.security.SaslSettings;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServer;
import org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler;
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
 * SCRAM-SHA-256 and SCRAM-SHA-512 check a client's proof against the user's credential in the metadata image;
 * OAUTHBEARER validates the client's token (below), its subject becoming the principal.
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
            servers.put(mechanism, switch (mechanism) {
                case SaslSettings.PLAIN -> plain(settings.jaasEntries(mechanism));
                case SaslSettings.OAUTHBEARER -> oauthBearer(settings);
                default -> scram(mechanism, scramCredentials);
            });
        }
        return servers;
    }

    /** A new PLAIN server per authentication, all checking the users of {@code jaasEntries}. */
    private static Supplier<SaslServer> plain(List<AppConfigurationEntry> jaasEntries) {
        PlainServerCallbackHandler users = new PlainServerCallbackHandler();
        users.configure(Map.of(), PlainSaslServer.PLAIN_MECHANISM, jaasEntries);
        return () -> new PlainSaslServer(users);
    }

    /**
     * A new OAUTHBEARER server per authentication, with one of kafka-clients' two token validators for the listener:
     * Kafka's default, which accepts unsecured JWTs (development only), or, when {@code sasl.oauthbearer.jwks.endpoint.url}
     * is set or the listener's {@code oauthbearer.sasl.server.callback.handler.class} names it,
     * {@link OAuthBearerValidatorCallbackHandler}, which checks the signature against the JWKS and the expected
     * audience and issuer ({@link SaslSettings} refuses any other handler class).
     */
    private static Supplier<SaslServer> oauthBearer(SaslSettings settings) {
        Map<String, Object> configs = settings.oauthBearerConfigs();
        String handlerClass = (String) configs.get(SaslSettings.SERVER_CALLBACK_HANDLER_CLASS);
        boolean jwks = configs.get(SaslConfigs.SASL_OAUTHBEARER_JWKS_ENDPOINT_URL) != null;
        AuthenticateCallbackHandler validator = SaslSettings.VALIDATING_HANDLER.equals(handlerClass)
                || (handlerClass == null && jwks)
                ? new OAuthBearerValidatorCallbackHandler() : new OAuthBearerUnsecuredValidatorCallbackHandler();
        List<AppConfigurationEntry> jaas = settings.jaasEntries(SaslSettings.OAUTHBEARER);
        validator.configure(configs, SaslSettings.OAUTHBEARER, jaas.isEmpty() ? List.of(new AppConfigurationEntry(
                OAuthBearerLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                Map.of())) : jaas);
        return () -> new OAuthBearerSaslServer(validator);
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
