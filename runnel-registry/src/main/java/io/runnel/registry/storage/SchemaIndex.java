package io.runnel.registry.storage;

import io.runnel.registry.storage.RegistryKey.KeyType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the {@code _schemas} topic says, in memory: every subject's versions, every id's schema, the compatibility
 * and mode settings. Only the topic's reader thread applies records; HTTP handlers read it concurrently.
 */
public final class SchemaIndex {
    private final Map<String, NavigableMap<Integer, SchemaRecord>> subjects = new TreeMap<>();
    /** Which subject versions use each id, so reads by id (every deserializer's) need no scan. */
    private final Map<Integer, Set<SubjectVersion>> usesOfId = new HashMap<>();
    /** The id of each schema (type and canonical text) that some version still uses. */
    private final Map<String, Integer> idOfSchema = new HashMap<>();
    private final Map<String, String> configs = new HashMap<>();
    private final Map<String, String> modes = new HashMap<>();
    /** The largest id ever read: the next id is larger, so ids are never reused, even after permanent deletes. */
    private int maxId;

    /** Applies one record of the topic; a null value is a tombstone. Unreadable records are the caller's to skip. */
    public synchronized void apply(RegistryKey key, byte[] value) {
        switch (key.type()) {
            case SCHEMA -> applySchema(key, value);
            case CONFIG -> put(configs, key.subject(), value == null ? null : RegistryJson.parseConfigValue(value));
            case MODE -> put(modes, key.subject(), value == null ? null : RegistryJson.parseModeValue(value));
            case DELETE_SUBJECT, CLEAR_SUBJECT -> {
                if (value != null) {
                    applySubjectDelete(key, RegistryJson.parseSubjectDeleteVersion(value));
                }
            }
            case NOOP -> { }
            default -> throw new IllegalStateException("unhandled key type " + key.type());
        }
    }

    private void applySchema(RegistryKey key, byte[] value) {
        if (value == null) {
            NavigableMap<Integer, SchemaRecord> versions = subjects.get(key.subject());
            if (versions != null) {
                forget(versions.remove(key.version()));
                if (versions.isEmpty()) {
                    subjects.remove(key.subject());
                }
            }
            return;
        }
        SchemaRecord record = RegistryJson.parseSchemaValue(value);
        forget(subjects.computeIfAbsent(record.subject(), s -> new TreeMap<>()).put(record.version(), record));
        usesOfId.computeIfAbsent(record.id(), id -> new HashSet<>())
                .add(new SubjectVersion(record.subject(), record.version()));
        idOfSchema.putIfAbsent(schemaKey(record.schemaType(), record.schema(), record.references()), record.id());
        maxId = Math.max(maxId, record.id());
    }

    /** Drops a version that was replaced or removed from the id maps. */
    private void forget(SchemaRecord removed) {
        if (removed == null) {
            return;
        }
        Set<SubjectVersion> uses = usesOfId.get(removed.id());
        if (uses != null && uses.remove(new SubjectVersion(removed.subject(), removed.version())) && uses.isEmpty()) {
            usesOfId.remove(removed.id());
            idOfSchema.remove(schemaKey(removed.schemaType(), removed.schema(), removed.references()), removed.id());
        }
    }

    private static String schemaKey(String schemaType, String canonicalSchema, List<SchemaReference> references) {
        return schemaType + '\n' + canonicalSchema + '\n' + references;
    }

    /** Confluent's subject delete records: soft marks versions up to {@code upTo} deleted, clear removes them. */
    private void applySubjectDelete(RegistryKey key, int upTo) {
        NavigableMap<Integer, SchemaRecord> versions = subjects.get(key.subject());
        if (versions == null) {
            return;
        }
        NavigableMap<Integer, SchemaRecord> covered = versions.headMap(upTo, true);
        if (key.type() == KeyType.CLEAR_SUBJECT) {
            List<SchemaRecord> cleared = covered.values().stream().filter(SchemaRecord::deleted).toList();
            cleared.forEach(r -> forget(covered.remove(r.version())));
        } else {
            covered.replaceAll((v, r) -> r.softDeleted());
        }
        if (versions.isEmpty()) {
            subjects.remove(key.subject());
        }
    }

    private static void put(Map<String, String> map, String subject, String value) {
        if (value == null) {
            map.remove(subject);
        } else {
            map.put(subject, value);
        }
    }

    public synchronized int maxId() {
        return maxId;
    }

    /** Subjects with a live version (or any version, soft-deleted ones too, when {@code deleted}). */
    public synchronized List<String> subjects(boolean deleted) {
        return subjects.entrySet().stream()
                .filter(e -> deleted || e.getValue().values().stream().anyMatch(r -> !r.deleted()))
                .map(Map.Entry::getKey).toList();
    }

    /** A subject's versions, oldest first; soft-deleted ones only when {@code deleted}. Empty: no such subject. */
    public synchronized List<SchemaRecord> versions(String subject, boolean deleted) {
        NavigableMap<Integer, SchemaRecord> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(r -> deleted || !r.deleted()).toList();
    }

    /** Every record with this id (one per subject and version that registered it); empty when none remains. */
    public synchronized List<SchemaRecord> byId(int id) {
        List<SchemaRecord> found = new ArrayList<>();
        for (SubjectVersion use : usesOfId.getOrDefault(id, Set.of())) {
            found.add(subjects.get(use.subject()).get(use.version()));
        }
        found.sort(Comparator.comparing(SchemaRecord::subject).thenComparingInt(SchemaRecord::version));
        return found;
    }

    /** The id an identical schema (same type, canonical text and references) already has under any subject. */
    public synchronized Optional<Integer> idOf(String schemaType, String canonicalSchema,
                                               List<SchemaReference> references) {
        return Optional.ofNullable(idOfSchema.get(schemaKey(schemaType, canonicalSchema, references)));
    }

    /**
     * The versions, soft-deleted ones included, that reference this subject version: while one remains the version
     * may not be deleted (Confluent's 42206). A scan: deletes are rare, and the index holds a few thousand versions.
     */
    public synchronized List<SchemaRecord> referencedBy(String subject, int version) {
        return subjects.values().stream().flatMap(versions -> versions.values().stream())
                .filter(r -> r.references().stream().anyMatch(ref -> ref.subject().equals(subject)
                        && ref.version() == version))
                .toList();
    }

    /** The compatibility level set for this subject (null: the global one), if any. */
    public synchronized Optional<String> config(String subject) {
        return Optional.ofNullable(configs.get(subject));
    }

    public synchronized Optional<String> mode(String subject) {
        return Optional.ofNullable(modes.get(subject));
    }

    /** A summary for logs: how much the topic held when the registry started. */
    public synchronized String describe() {
        return subjects.size() + " subjects, " + subjects.values().stream().mapToInt(Map::size).sum()
                + " versions, max id " + maxId + ", configs " + configs.keySet().stream()
                .map(s -> s == null ? "<global>" : s).collect(Collectors.joining(","));
    }

    private record SubjectVersion(String subject, int version) {
    }
}
