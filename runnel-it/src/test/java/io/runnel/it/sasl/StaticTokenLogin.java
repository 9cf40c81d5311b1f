package io.runnel.it.sasl;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kafka-clients login callback handler ({@code sasl.login.callback.handler.class}) that hands the OAUTHBEARER login
 * module the token of its JAAS option {@code token}, as an identity provider would have issued it: the client checks
 * nothing, so what the broker makes of a token (signature, expiry, audience) is what a test sees.
 */
public final class StaticTokenLogin implements AuthenticateCallbackHandler {
    private static final long LIFETIME_MS = 600_000;
    private String token;
    private String principal;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        Map<String, ?> options = jaasConfigEntries.get(0).getOptions();
        token = (String) options.get("token");
        principal = (String) options.get("principal");
    }

    /** The JAAS configuration of a client presenting {@code jwt} as {@code principal}. */
    public static String jaasConfig(String jwt, String principal) {
        return "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required token=\"" + jwt
                + "\" principal=\"" + principal + "\";";
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
                long now = System.currentTimeMillis();
                tokenCallback.token(new OAuthBearerToken() {
                    @Override
                    public String value() {
                        return token;
                    }

                    @Override
                    public Set<String> scope() {
                        return Set.of();
                    }

                    @Override
                    public long lifetimeMs() {
                        return now + LIFETIME_MS;
                    }

                    @Override
                    public String principalName() {
                        return principal;
                    }

                    @Override
                    public Long startTimeMs() {
                        return now;
                    }
                });
            } else if (!(callback instanceof SaslExtensionsCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    @Override
    public void close() {
    }
}
