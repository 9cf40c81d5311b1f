package io.runnel.it.fuzz;

import java.util.HexFormat;

/**
 * One request frame as the fuzzer writes it: {@code sizePrefix} (normally the payload's length) then the payload.
 * A frame whose size prefix lies {@linkplain #breaksStream() breaks the stream's framing}: nothing can follow it on
 * the connection. {@code origin} names the seed and the mutations, for a failure's report.
 */
record Frame(byte[] payload, int sizePrefix, String origin) {
    private static final int SHOWN_BYTES = 512;

    boolean breaksStream() {
        return sizePrefix != payload.length;
    }

    /** The api key the header claims, or -1 when the payload is too short to say. */
    short apiKey() {
        return payload.length >= 2 ? (short) (((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : -1;
    }

    short apiVersion() {
        return payload.length >= 4 ? (short) (((payload[2] & 0xff) << 8) | (payload[3] & 0xff)) : -1;
    }

    /** Puts the correlation id into the header, where the payload is long enough to hold one. */
    void setCorrelationId(int id) {
        if (payload.length >= 8) {
            payload[4] = (byte) (id >>> 24);
            payload[5] = (byte) (id >>> 16);
            payload[6] = (byte) (id >>> 8);
            payload[7] = (byte) id;
        }
    }

    String describe() {
        int shown = Math.min(payload.length, SHOWN_BYTES);
        return origin + ", size prefix " + sizePrefix + ", " + payload.length + " bytes: "
                + HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "");
    }
}
