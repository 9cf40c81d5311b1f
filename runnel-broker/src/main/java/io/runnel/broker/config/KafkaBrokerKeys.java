package io.runnel.broker.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every broker key of Apache Kafka 4.4 with its dynamic update mode ({@code read-only}, {@code per-broker},
 * {@code cluster-wide}), read from {@code kafka-broker-configs.txt}: what tells a key Kafka knows but Runnel does
 * not use from a misspelt one, and which keys a nearest-name suggestion may point to.
 */
final class KafkaBrokerKeys {
    private static final String RESOURCE = "kafka-broker-configs.txt";
    private static final String LISTENER_PREFIX = "listener.name.";
    private static final Map<String, String> UPDATE_MODES = load();

    private KafkaBrokerKeys() {
    }

    /** Kafka's update mode of the key, or null for a key Kafka does not know. */
    static String updateMode(String key) {
        return UPDATE_MODES.get(key);
    }

    /**
     * Whether Kafka knows the key, taking {@code listener.name.<listener>.<key>} and
     * {@code listener.name.<listener>.<sasl mechanism>.<key>} as their base key.
     */
    static boolean isKnown(String key) {
        if (UPDATE_MODES.containsKey(key)) {
            return true;
        }
        if (!key.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        String rest = key.substring(LISTENER_PREFIX.length());
        for (int dot = rest.indexOf('.'); dot >= 0 && dot < rest.length() - 1; dot = rest.indexOf('.', dot + 1)) {
            if (UPDATE_MODES.containsKey(rest.substring(dot + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The known key the given one most likely misspells: at most a couple of edits away, the closest first. */
    static Optional<String> nearest(String key, Iterable<String> candidates) {
        int allowed = Math.max(2, key.length() / 10);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(key, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    static Iterable<String> names() {
        return UPDATE_MODES.keySet();
    }

    /** Levenshtein distance, with a swap of two neighbouring characters counted as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static Map<String, String> load() {
        Map<String, String> modes = new TreeMap<>();
        try (InputStream in = KafkaBrokerKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                modes.put(parts[0], parts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(modes);
    }
}
