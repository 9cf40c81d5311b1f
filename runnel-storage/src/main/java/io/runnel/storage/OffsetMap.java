package io.runnel.storage;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's bounded key → latest offset map: open addressing over a fixed buffer of 24-byte slots (the key's MD5,
 * offset + 1 so that an all-zero slot is free), as Kafka's cleaner keys its map by a digest rather than the key. Full
 * at 90% load: {@link #put} then refuses new keys and the clean stops there.
 */
final class OffsetMap {
    private static final int HASH_BYTES = 16;
    private static final int SLOT_BYTES = HASH_BYTES + 8;
    private static final double MAX_LOAD = 0.9;

    private final ByteBuffer slots;
    private final int slotCount;
    private final int maxEntries;
    private final MessageDigest digest;
    private final byte[] hash = new byte[HASH_BYTES];
    private int entries;

    OffsetMap(int memoryBytes) {
        slotCount = Math.max(2, memoryBytes / SLOT_BYTES);
        slots = ByteBuffer.allocate(slotCount * SLOT_BYTES);
        maxEntries = (int) (slotCount * MAX_LOAD);
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JRE", e);
        }
    }

    /** Records {@code offset} as the latest for {@code key}; false if the key is new and the map is full. */
    boolean put(ByteBuffer key, long offset) {
        int slot = find(key);
        if (slots.getLong(slot + HASH_BYTES) == 0) {
            if (entries >= maxEntries) {
                return false;
            }
            slots.put(slot, hash);
            entries++;
        }
        slots.putLong(slot + HASH_BYTES, offset + 1);
        return true;
    }

    /** The latest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        return slots.getLong(find(key) + HASH_BYTES) - 1;
    }

    int size() {
        return entries;
    }

    /** The share of the slots in use (Kafka's buffer utilization: it never exceeds the 90% load the map stops at). */
    double utilization() {
        return (double) entries / slotCount;
    }

    void clear() {
        if (entries > 0) {
            Arrays.fill(slots.array(), (byte) 0);
            entries = 0;
        }
    }

    /** The slot holding the key's digest, or the free slot where it belongs; leaves the digest in {@link #hash}. */
    private int find(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(hash, 0, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        int index = Math.floorMod(((hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8
                | (hash[3] & 0xff)), slotCount);
        while (true) {
            int slot = index * SLOT_BYTES;
            if (slots.getLong(slot + HASH_BYTES) == 0 || sameHash(slot)) {
                return slot;
            }
            index = index + 1 == slotCount ? 0 : index + 1;
        }
    }

    private boolean sameHash(int slot) {
        for (int i = 0; i < HASH_BYTES; i++) {
            if (slots.get(slot + i) != hash[i]) {
                return false;
            }
        }
        return true;
    }
}
