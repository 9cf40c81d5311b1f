package io.runnel.broker.interbroker;

import io.runnel.broker.security.InterBrokerSasl;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A broker logging in to another over SASL, as Kafka's clients do: SaslHandshake v1 names the mechanism, then
 * SaslAuthenticate carries the tokens of the JDK's PLAIN client or kafka-clients' SCRAM client until it completes.
 * The tokens are computed off the event loop (a SCRAM proof hashes the password thousands of times).
 */
final class SaslLogin {
    private static final short HANDSHAKE_VERSION = 1;
    private static final short AUTHENTICATE_VERSION = 1;

    static {
        ScramSaslClientProvider.initialize();
    }

    /** Sends one request on the connection being authenticated. */
    @FunctionalInterface
    interface Requests {
        CompletableFuture<ApiMessage> send(ApiMessage request, short version);
    }

    private SaslLogin() {
    }

    /** Completes once the peer at {@code host} accepted the login; fails with the peer's error otherwise. */
    static CompletableFuture<Void> run(InterBrokerSasl login, String host, Requests requests) {
        return requests.send(new SaslHandshakeRequestData().setMechanism(login.mechanism()), HANDSHAKE_VERSION)
                .thenCompose(response -> {
                    SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) response;
                    if (handshake.errorCode() != Errors.NONE.code()) {
                        throw new CompletionException(new UnsupportedSaslMechanismException("Broker " + host
                                + " does not enable SASL mechanism " + login.mechanism() + "; it enables "
                                + handshake.mechanisms()));
                    }
                    return CompletableFuture.supplyAsync(() -> {
                        SaslClient client = client(login, host);
                        return exchange(client, client.hasInitialResponse() ? evaluate(client, new byte[0])
                                : new byte[0], requests);
                    }).thenCompose(exchanged -> exchanged);
                });
    }

    /**
     * Sends one token; the peer's answer is checked where it arrives, before the peer's close of a refused login can
     * be seen (so the refusal, not the close, is what fails the login), and the next token is computed off the event
     * loop.
     */
    private static CompletableFuture<Void> exchange(SaslClient client, byte[] token, Requests requests) {
        return requests.send(new SaslAuthenticateRequestData().setAuthBytes(token), AUTHENTICATE_VERSION)
                .thenCompose(response -> {
                    SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) response;
                    if (answer.errorCode() != Errors.NONE.code()) {
                        throw new CompletionException(new SaslAuthenticationException(answer.errorMessage()));
                    }
                    if (client.isComplete()) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return CompletableFuture.supplyAsync(() -> evaluate(client, answer.authBytes()))
                            .thenCompose(next -> client.isComplete() ? CompletableFuture.<Void>completedFuture(null)
                                    : exchange(client, next, requests));
                });
    }

    private static SaslClient client(InterBrokerSasl login, String host) {
        CallbackHandler credentials = callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(login.username());
                } else if (callback instanceof PasswordCallback password) {
                    password.setPassword(login.password().toCharArray());
                } else if (!(callback instanceof ScramExtensionsCallback)) { // no extensions: none are sent
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
        try {
            SaslClient client = Sasl.createSaslClient(new String[]{login.mechanism()}, null, "kafka", host, Map.of(),
                    credentials);
            if (client == null) {
                throw new IllegalSaslStateException("No SASL client for mechanism " + login.mechanism());
            }
            return client;
        } catch (SaslException e) {
            throw new CompletionException(new SaslAuthenticationException("Cannot start the " + login.mechanism()
                    + " login to " + host + ": " + e.getMessage()));
        }
    }

    private static byte[] evaluate(SaslClient client, byte[] challenge) {
        try {
            return client.evaluateChallenge(challenge);
        } catch (SaslException e) {
            throw new CompletionException(new SaslAuthenticationException("SASL " + client.getMechanismName()
                    + " login failed: " + e.getMessage()));
        }
    }
}
