package io.runnel.it.fuzz;

import io.runnel.it.wire.SeedFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a seed frame probably holds length fields, found by their shape: an int16 or compact-varint length followed
 * by that many printable bytes is a string; a small int32 is likely an array count. Guesses are enough: a wrong
 * guess mutates some other field, which is fuzzing as well.
 */
final class SeedLayout {
    private static final int MAX_ARRAY_GUESS = 64;

    final SeedFrame seed;
    final int[] stringLengths;
    final int[] compactLengths;
    final int[] arrayCounts;

    SeedLayout(SeedFrame seed) {
        this.seed = seed;
        byte[] b = seed.bytes();
        List<Integer> strings = new ArrayList<>();
        List<Integer> compact = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        for (int p = 8; p < b.length; p++) {
            if (p + 2 <= b.length) {
                int n = Bytes.getShort(b, p);
                if (n >= 1 && p + 2 + n <= b.length && printable(b, p + 2, n)) {
                    strings.add(p);
                }
            }
            int c = (b[p] & 0xff) - 1;
            if (c >= 2 && c < 127 && p + 1 + c <= b.length && printable(b, p + 1, c)) {
                compact.add(p);
            }
            if (p + 4 <= b.length) {
                int count = Bytes.getInt(b, p);
                if (count >= -1 && count <= MAX_ARRAY_GUESS) {
                    arrays.add(p);
                }
            }
        }
        stringLengths = toArray(strings);
        compactLengths = toArray(compact);
        arrayCounts = toArray(arrays);
    }

    private static boolean printable(byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (b[i] < 0x20 || b[i] > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static int[] toArray(List<Integer> positions) {
        return positions.stream().mapToInt(Integer::intValue).toArray();
    }
}
