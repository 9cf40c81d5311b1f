package io.runnel.broker.protocol;

import org.apache.kafka.common.errors.SaslAuthenticationException;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The SASL login of one authenticated connection whose listener sets {@code connections.max.reauth.ms} (KIP-368):
 * the session ends that many milliseconds after the login (sooner when the credential, an OAUTHBEARER token,
 * expires first), and the client must log in again on the same connection, with the same mechanism and as the same
 * principal, before it; a connection used after its session ended, or whose new login failed, is closed.
 */
public final class SaslSession {
    /** kafka-clients' negotiated property of a SASL server whose credential expires (OAUTHBEARER's token). */
    private static final String CREDENTIAL_LIFETIME_MS = "CREDENTIAL.LIFETIME.MS";

    private final String mechanism;
    private final String principalName;
    private final Supplier<SaslServer> servers;
    private final long maxReauthMs;
    private long expiresAtNanos;
    private boolean failed;
    private SaslServer reauthenticating;

    /** The answer to one SaslAuthenticate of a new login: the challenge, and once complete the session's lifetime. */
    public record Step(byte[] challenge, boolean complete, long lifetimeMs) {
    }

    /** A session that started when {@code completed} authenticated {@code principalName}. */
    public SaslSession(String mechanism, String principalName, Supplier<SaslServer> servers, long maxReauthMs,
                       SaslServer completed) {
        this.mechanism = mechanism;
        this.principalName = principalName;
        this.servers = servers;
        this.maxReauthMs = maxReauthMs;
        this.expiresAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetimeMs(maxReauthMs, completed));
    }

    /**
     * The session lifetime of a completed login as SaslAuthenticate reports it: {@code connections.max.reauth.ms},
     * or less when the credential expires sooner; 0 (no session limit) when re-authentication is off.
     */
    public static long lifetimeMs(long maxReauthMs, SaslServer completed) {
        if (maxReauthMs <= 0) {
            return 0;
        }
        Object credentialLifetime = completed.getNegotiatedProperty(CREDENTIAL_LIFETIME_MS);
        if (credentialLifetime instanceof Long expiresAtMs) {
            return Math.max(1, Math.min(maxReauthMs, expiresAtMs - System.currentTimeMillis()));
        }
        return maxReauthMs;
    }

    public String mechanism() {
        return mechanism;
    }

    /** Whether the connection may no longer be used but to log in again. */
    public synchronized boolean ended(long nowNanos) {
        return failed || nowNanos - expiresAtNanos > 0;
    }

    /** SaslHandshake on the authenticated connection: a new login with the session's mechanism begins. */
    public synchronized void beginReauthentication() {
        reauthenticating = servers.get();
    }

    /**
     * One SaslAuthenticate of the new login. Throws SaslAuthenticationException (the session then ends) when the
     * credentials fail, there was no handshake, or the new login names another principal.
     */
    public synchronized Step reauthenticate(byte[] token) throws SaslException {
        if (reauthenticating == null) {
            failed = true;
            throw new SaslAuthenticationException("SaslAuthenticate without SaslHandshake during re-authentication");
        }
        byte[] challenge;
        try {
            challenge = reauthenticating.evaluateResponse(token);
        } catch (SaslException | RuntimeException e) {
            failed = true;
            dispose();
            throw e;
        }
        if (!reauthenticating.isComplete()) {
            return new Step(challenge, false, 0);
        }
        String newPrincipal = reauthenticating.getAuthorizationID();
        long lifetime = lifetimeMs(maxReauthMs, reauthenticating);
        dispose();
        if (!principalName.equals(newPrincipal)) {
            failed = true;
            throw new SaslAuthenticationException("Cannot change principals during re-authentication from User:"
                    + principalName + " to User:" + newPrincipal);
        }
        expiresAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetime);
        return new Step(challenge, true, lifetime);
    }

    private void dispose() {
        try {
            reauthenticating.dispose();
        } catch (SaslException e) {
            // nothing held
        }
        reauthenticating = null;
    }
}
