package io.runnel.broker.quota;

/** How quotas measure rates: {@code quota.window.num} samples of {@code quota.window.size.seconds} each. */
public record QuotaWindow(int samples, long sampleMs) {
    public QuotaWindow {
        if (samples < 1 || sampleMs < 1) {
            throw new IllegalArgumentException("a quota window needs at least one sample of at least 1 ms");
        }
    }
}
