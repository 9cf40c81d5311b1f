package io.runnel.it.fuzz;

import io.runnel.it.wire.FuzzSeeds;
import io.runnel.it.wire.SeedFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns seed frames into fuzzed ones: bit flips, byte overwrites, string / array / compact-varint lengths, varint
 * encodings (overlong, unterminated, huge), header fields, truncations and extensions, splices of two seeds, record
 * batch fields and compressed payloads ({@link BatchMutator}), and lying size prefixes. Everything it does comes from
 * the random generator it is handed, so a frame is reproduced from the generator's seed.
 */
final class FrameMutator {
    /** One in this many frames goes out as its seed, unmutated: valid traffic keeps state moving. */
    private static final int UNMUTATED_ONE_IN = 10;
    /** One in this many frames lies in its size prefix; that ends its connection's stream. */
    private static final int SIZE_PREFIX_ONE_IN = 40;
    private static final int MAX_FRAME_BYTES = 100 * 1024 * 1024;
    private static final short PRODUCE = 0;
    /** The mutation kinds below that change values only: bit flips, byte overwrites, random runs. */
    private static final int[] VALUE_MUTATIONS = {0, 1, 2, 10, 11};

    private final Map<Short, List<SeedLayout>> seedsOfKey = new LinkedHashMap<>();
    private final List<List<SeedLayout>> byApiKey;
    private final List<SeedLayout> all = new ArrayList<>();

    FrameMutator(List<SeedFrame> seeds) {
        for (SeedFrame seed : seeds) {
            SeedLayout layout = new SeedLayout(seed);
            seedsOfKey.computeIfAbsent(seed.apiKey(), k -> new ArrayList<>()).add(layout);
            all.add(layout);
        }
        byApiKey = List.copyOf(seedsOfKey.values());
    }

    Frame next(SplittableRandom rnd) {
        // Every api key is equally likely, whatever its number of seeds; Produce is drawn a second time.
        List<SeedLayout> key = rnd.nextInt(byApiKey.size() + 1) == 0
                ? seedsOfKey.getOrDefault(PRODUCE, byApiKey.get(0)) : byApiKey.get(rnd.nextInt(byApiKey.size()));
        SeedLayout seed = key.get(rnd.nextInt(key.size()));
        byte[] bytes = seed.seed.bytes().clone();
        StringBuilder log = new StringBuilder(seed.seed.label());
        if (rnd.nextInt(UNMUTATED_ONE_IN) == 0) {
            return new Frame(bytes, bytes.length, log.append(" unmutated").toString());
        }
        if (seed.seed.hasRecords() && rnd.nextBoolean()) {
            // First, while the seed's record positions still hold.
            bytes = BatchMutator.mutate(bytes, seed.seed, rnd, log.append(" batch:"));
        }
        int mutations = rnd.nextInt(4) > 0 ? 1 : 2 + rnd.nextInt(2);
        for (int i = 0; i < mutations; i++) {
            bytes = mutate(bytes, seed, rnd, log);
        }
        keepTopicChangesToTheirSeeds(bytes, seed.seed.apiKey());
        int size = bytes.length;
        if (rnd.nextInt(SIZE_PREFIX_ONE_IN) == 0) {
            size = pick(rnd, bytes.length - 1, bytes.length + 1, bytes.length / 2, bytes.length + 1000, 0, -1,
                    Integer.MAX_VALUE, MAX_FRAME_BYTES + 1, Integer.MIN_VALUE);
            if (size == bytes.length) {
                size++;
            }
            log.append(" sizePrefix=").append(size);
        }
        return new Frame(bytes, size, log.toString());
    }

    private byte[] mutate(byte[] b, SeedLayout seed, SplittableRandom rnd, StringBuilder log) {
        if (b.length == 0) {
            return b;
        }
        // Most mutations change values and leave the frame readable, so that it reaches a handler; a third change
        // its structure, which the codec refuses and the broker answers by closing the connection.
        int kind = rnd.nextInt(3) > 0 ? VALUE_MUTATIONS[rnd.nextInt(VALUE_MUTATIONS.length)] : 3 + rnd.nextInt(7);
        switch (kind) {
            case 0, 1 -> {
                int at = rnd.nextInt(b.length);
                b[at] ^= (byte) (1 << rnd.nextInt(8));
                log.append(" flip@").append(at);
            }
            case 2 -> {
                int at = rnd.nextInt(b.length);
                b[at] = (byte) pick(rnd, 0, 0xff, 0x7f, 0x80, 1, rnd.nextInt(256));
                log.append(" byte@").append(at).append('=').append(b[at]);
            }
            case 3 -> {
                if (b.length < 2) {
                    return b;
                }
                int at = position(seed.stringLengths, b.length - 2, rnd);
                int old = Bytes.getShort(b, at);
                int value = pick(rnd, -1, 0, old - 1, old + 1, 0x7fff, 0x8000, -2);
                Bytes.putShort(b, at, value);
                log.append(" string@").append(at).append('=').append((short) value);
            }
            case 4 -> {
                if (b.length < 4) {
                    return b;
                }
                int at = position(seed.arrayCounts, b.length - 4, rnd);
                int value = pick(rnd, -1, 0, 1, 2, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 28, b.length - at);
                Bytes.putInt(b, at, value);
                log.append(" int32@").append(at).append('=').append(value);
            }
            case 5 -> {
                return varint(b, seed, rnd, log);
            }
            case 6 -> {
                return header(b, rnd, log);
            }
            case 7 -> {
                int length = rnd.nextInt(b.length);
                log.append(" truncate=").append(length);
                return Arrays.copyOf(b, length);
            }
            case 8 -> {
                byte[] tail = rnd.nextInt(4) == 0 ? b.clone() : new byte[1 + rnd.nextInt(64)];
                if (tail.length <= 64) {
                    rnd.nextBytes(tail);
                }
                log.append(" extend+").append(tail.length);
                return Bytes.concat(b, tail);
            }
            case 9 -> {
                return splice(b, seed, rnd, log);
            }
            default -> {
                int at = rnd.nextInt(b.length);
                int run = Math.min(b.length - at, 1 + rnd.nextInt(8));
                for (int i = 0; i < run; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
                log.append(" random@").append(at).append('x').append(run);
            }
        }
        return b;
    }

    /**
     * Gives the seed's api key back to a frame whose mutations (a header rekey, a flipped or overwritten byte) made it
     * claim a key that deletes or reconfigures topics: an OffsetForLeaderEpoch v2 body read as DeleteTopics v2, for
     * one, deletes the log topic whose acknowledged records the test checks.
     */
    private static void keepTopicChangesToTheirSeeds(byte[] b, short seedKey) {
        if (b.length >= 2 && Bytes.getShort(b, 0) != seedKey && FuzzSeeds.changesTopics((short) Bytes.getShort(b, 0))) {
            Bytes.putShort(b, 0, seedKey);
        }
    }

    /** Replaces a compact length (or any byte) with another varint encoding, changing the frame's length. */
    private static byte[] varint(byte[] b, SeedLayout seed, SplittableRandom rnd, StringBuilder log) {
        int at = position(seed.compactLengths, b.length - 1, rnd);
        int width = Bytes.varintLength(b, at);
        long value = Bytes.readUnsignedVarint(b, at);
        byte[] with = switch (rnd.nextInt(8)) {
            case 0 -> Bytes.unsignedVarint(0);
            case 1 -> Bytes.unsignedVarint(value + 1);
            case 2 -> Bytes.unsignedVarint(Math.max(0, value - 1));
            case 3 -> Bytes.unsignedVarint(0x7fffffffL);
            case 4 -> Bytes.unsignedVarint(0xffffffffL);
            case 5 -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}; // overlong
            case 6 -> new byte[] {(byte) 0xff, (byte) 0xff}; // unterminated where the next byte has no high bit
            default -> Bytes.unsignedVarint(rnd.nextInt(1 << 14));
        };
        log.append(" varint@").append(at).append('=').append(HexFormat.of().formatHex(with));
        return Bytes.replace(b, at, Math.max(width, 1), with);
    }

    private byte[] header(byte[] b, SplittableRandom rnd, StringBuilder log) {
        if (b.length < 10) {
            return b;
        }
        switch (rnd.nextInt(4)) {
            case 0 -> {
                int key = pick(rnd, -1, 9999, 0x7fff, all.get(rnd.nextInt(all.size())).seed.apiKey(), rnd.nextInt(100));
                Bytes.putShort(b, 0, key);
                log.append(" apiKey=").append(key);
            }
            case 1, 2 -> {
                int version = Bytes.getShort(b, 2);
                int to = pick(rnd, version + 1, version - 1, -1, 0x7fff, version + 10, 0);
                Bytes.putShort(b, 2, to);
                log.append(" apiVersion=").append((short) to);
            }
            default -> {
                int length = pick(rnd, -1, 0, 0x7fff, Bytes.getShort(b, 8) + 1, b.length);
                Bytes.putShort(b, 8, length);
                log.append(" clientIdLength=").append((short) length);
            }
        }
        return b;
    }

    /**
     * The frame's head followed by the tail of another seed of the same api key (often another version). Seeds of
     * other keys would splice names of the log topic into destructive requests (DeleteTopics, DeleteRecords).
     */
    private byte[] splice(byte[] b, SeedLayout seed, SplittableRandom rnd, StringBuilder log) {
        List<SeedLayout> sameKey = seedsOfKey.get(seed.seed.apiKey());
        SeedLayout other = sameKey.get(rnd.nextInt(sameKey.size()));
        byte[] tail = other.seed.bytes();
        int cut = rnd.nextInt(b.length + 1);
        int from = rnd.nextInt(tail.length + 1);
        log.append(" splice@").append(cut).append('+').append(other.seed.label()).append('@').append(from);
        byte[] out = Arrays.copyOf(b, cut + tail.length - from);
        System.arraycopy(tail, from, out, cut, tail.length - from);
        return out;
    }

    /** One of the guessed positions that still fits, or any position. */
    private static int position(int[] guesses, int limit, SplittableRandom rnd) {
        if (limit <= 0) {
            return 0;
        }
        if (guesses.length > 0 && rnd.nextInt(5) > 0) {
            int at = guesses[rnd.nextInt(guesses.length)];
            if (at < limit) {
                return at;
            }
        }
        return rnd.nextInt(limit);
    }

    private static int pick(SplittableRandom rnd, int... values) {
        return values[rnd.nextInt(values.length)];
    }
}
