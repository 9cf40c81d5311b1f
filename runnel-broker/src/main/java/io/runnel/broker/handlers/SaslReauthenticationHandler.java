package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.SaslSession;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.sasl.SaslException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SaslHandshake and SaslAuthenticate reaching the broker: on a SASL listener they are answered by the connection's
 * authenticator until it completes, so here the connection has authenticated already, or its listener has no SASL.
 * A connection with a {@link SaslSession} ({@code connections.max.reauth.ms}) logs in again this way, in order with
 * its other requests (KIP-368): the same mechanism, the same principal. Otherwise Kafka answers ILLEGAL_SASL_STATE.
 */
public final class SaslReauthenticationHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(SaslReauthenticationHandler.class);

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage request) {
        SaslSession session = ctx.saslSession();
        if (session == null) {
            return CompletableFuture.failedFuture(new IllegalSaslStateException("Unexpected " + ctx.apiKey().name
                    + " request: the connection on listener " + ctx.listenerName() + " ("
                    + ctx.securityProtocol().name + ") is not authenticating with SASL"));
        }
        return CompletableFuture.completedFuture(ctx.apiKey() == ApiKeys.SASL_HANDSHAKE
                ? handshake(session, (SaslHandshakeRequestData) request)
                : authenticate(ctx, session, (SaslAuthenticateRequestData) request));
    }

    private static SaslHandshakeResponseData handshake(SaslSession session, SaslHandshakeRequestData request) {
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(List.of(session.mechanism()));
        if (!session.mechanism().equals(request.mechanism())) {
            return response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        session.beginReauthentication();
        return response;
    }

    private static SaslAuthenticateResponseData authenticate(RequestContext ctx, SaslSession session,
                                                             SaslAuthenticateRequestData request) {
        try {
            SaslSession.Step step = session.reauthenticate(request.authBytes());
            return new SaslAuthenticateResponseData().setAuthBytes(step.challenge() == null ? new byte[0]
                    : step.challenge()).setSessionLifetimeMs(step.lifetimeMs());
        } catch (SaslException | RuntimeException e) {
            log.info("Failed re-authentication of {} ({}) on listener {}: {}", ctx.principal(), ctx.remoteAddress(),
                    ctx.listenerName(), e.getMessage());
            String message = e instanceof SaslAuthenticationException ? e.getMessage()
                    : "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                    + session.mechanism();
            return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(message);
        }
    }
}
