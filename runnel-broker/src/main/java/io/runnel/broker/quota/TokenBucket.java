package io.runnel.broker.quota;

/**
 * Kafka's {@code TokenBucket} for the controller mutation quota (KIP-599): a client may take {@code burst} tokens at
 * once, and the bucket fills again at the quota's rate; a mutation takes its tokens even past zero, and the client
 * is over its quota while the bucket is below zero.
 */
final class TokenBucket {
    private double tokens;
    private long lastMs;

    TokenBucket(double burst, long nowMs) {
        tokens = burst;
        lastMs = nowMs;
    }

    /** The tokens left as of {@code nowMs}: negative once the client is over its quota. */
    synchronized double tokens(double perSecond, double burst, long nowMs) {
        refill(perSecond, burst, nowMs);
        return tokens;
    }

    synchronized void take(double value, double perSecond, double burst, long nowMs) {
        refill(perSecond, burst, nowMs);
        tokens = Math.min(burst, tokens - value);
    }

    private void refill(double perSecond, double burst, long nowMs) {
        tokens = Math.min(burst, tokens + perSecond * Math.max(0, nowMs - lastMs) / 1000.0);
        lastMs = Math.max(lastMs, nowMs);
    }
}
