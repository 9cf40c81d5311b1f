package io.runnel.registry;

import io.runnel.registry.compat.Compatibility;
import io.runnel.registry.compat.CompatibilityLevel;
import io.runnel.registry.leader.LeaderElection;
import io.runnel.registry.schema.ParsedSchema;
import io.runnel.registry.schema.SchemaTypes;
import io.runnel.registry.storage.RegistryJson;
import io.runnel.registry.storage.RegistryKey;
import io.runnel.registry.storage.SchemaIndex;
import io.runnel.registry.storage.SchemaLog;
import io.runnel.registry.storage.SchemaReference;
import io.runnel.registry.storage.SchemaRecord;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The schema registry's operations, with Confluent's semantics. Reads answer from the in-memory index at once. Writes
 * run one at a time on a writer thread, on the instance elected leader only: it checks them against the index,
 * appends to {@code _schemas} and returns once the record is read back, so the next write sees it. Ids are global:
 * the next id is the largest ever read plus one, and a new leader reads the topic to its end before its first write.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final String READWRITE = "READWRITE";
    private static final List<String> MODES = List.of(READWRITE, "READONLY", "IMPORT");
    private static final int MAX_REFERENCE_DEPTH = 32;

    private final SchemaIndex index;
    private final SchemaLog log;
    private final LeaderWriter writer;

    public SchemaRegistry(SchemaIndex index, SchemaLog log, LeaderElection election, Duration timeout) {
        this.index = index;
        this.log = log;
        this.writer = new LeaderWriter(log, election, timeout);
    }

    // ---- subjects and versions

    public List<String> subjects(String prefix, boolean deleted) {
        return index.subjects(deleted).stream().filter(s -> prefix == null || s.startsWith(prefix)).toList();
    }

    public List<Integer> versions(String subject, boolean deleted) {
        List<SchemaRecord> versions = existing(subject, deleted);
        return versions.stream().map(SchemaRecord::version).toList();
    }

    /** A version by number, "latest" or -1; soft-deleted ones only when {@code deleted}. */
    public SchemaRecord version(String subject, String version, boolean deleted) {
        int wanted = parseVersion(version);
        List<SchemaRecord> versions = existing(subject, deleted);
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(r -> r.version() == wanted).findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(wanted));
    }

    /** The version of this subject that has this schema (POST /subjects/{s}); 40403 when none has. */
    public SchemaRecord lookup(String subject, String schemaText, String schemaType, List<SchemaReference> references,
                               boolean deleted) {
        ParsedSchema schema = parse(schemaType, schemaText, references);
        return existing(subject, deleted).stream()
                .filter(r -> r.sameSchema(schema.type(), schema.canonical(), references))
                .reduce((first, later) -> later)
                .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found"));
    }

    /** Registers a schema under a subject, answering its id: the existing one if the subject has it already. */
    public CompletableFuture<Integer> register(String subject, String schemaText, String schemaType,
                                               List<SchemaReference> references, Integer importId,
                                               Integer importVersion) {
        ParsedSchema schema = parse(schemaType, schemaText, references);
        String type = schema.type();
        String canonical = schema.canonical();
        return write(() -> {
            String mode = mode(subject, true);
            checkWritable(subject, mode);
            boolean importing = "IMPORT".equals(mode);
            if (!importing && (importId != null || importVersion != null)) {
                throw new RegistryException(42205, "Subject " + subject + " is not in import mode: "
                        + "an id or version may be given only in IMPORT mode");
            }
            List<SchemaRecord> all = index.versions(subject, true);
            Optional<SchemaRecord> same = all.stream().filter(r -> !r.deleted()
                    && r.sameSchema(type, canonical, references)).findFirst();
            if (same.isPresent()) {
                return same.get().id();
            }
            if (!importing) {
                List<ParsedSchema> earlier = all.stream().filter(r -> !r.deleted()).map(this::parsed)
                        .toList();
                List<String> problems = Compatibility.incompatibilities(level(subject), schema, earlier);
                if (!problems.isEmpty()) {
                    throw new RegistryException(409, "Schema being registered is incompatible with an earlier "
                            + "schema for subject \"" + subject + "\", details: " + problems);
                }
            }
            int id = importing && importId != null ? checkImportId(importId, type, canonical, references)
                    : index.idOf(type, canonical, references).orElse(index.maxId() + 1);
            int version = importing && importVersion != null ? checkImportVersion(subject, importVersion, all)
                    : all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            SchemaRecord record = new SchemaRecord(subject, version, id, type, canonical, references, false);
            append(List.of(entry(RegistryKey.schema(subject, version), RegistryJson.schemaValue(record))));
            return id;
        });
    }

    private static int checkImportVersion(String subject, int version, List<SchemaRecord> all) {
        if (version < 1 || all.stream().anyMatch(r -> r.version() == version)) {
            throw new RegistryException(42205, "Subject " + subject + " already has version " + version
                    + " (or it is not a valid version): an import may not overwrite it");
        }
        return version;
    }

    private int checkImportId(int id, String type, String canonical, List<SchemaReference> references) {
        index.byId(id).stream().filter(r -> !r.sameSchema(type, canonical, references))
                .findFirst().ifPresent(r -> {
                    throw new RegistryException(42205, "Overwrite new schema with id " + id + " is not permitted.");
                });
        return id;
    }

    /** Soft-deletes a version, or permanently deletes a soft-deleted one; answers its number. */
    public CompletableFuture<Integer> deleteVersion(String subject, String version, boolean permanent) {
        int wanted = parseVersion(version);
        return write(() -> {
            checkWritable(subject, mode(subject, true));
            SchemaRecord record = version(subject, wanted == -1 ? "latest" : version, true);
            if (!permanent && record.deleted()) {
                throw new RegistryException(40406, "Subject '" + subject + "' Version " + record.version()
                        + " was soft deleted. Set permanent=true to delete permanently");
            }
            if (permanent && !record.deleted()) {
                throw new RegistryException(40407, "Subject '" + subject + "' Version " + record.version()
                        + " was not deleted first before being permanently deleted");
            }
            checkUnreferenced(subject, record.version(), r -> false);
            RegistryKey key = RegistryKey.schema(subject, record.version());
            append(List.of(entry(key, permanent ? null : RegistryJson.schemaValue(record.softDeleted()))));
            return record.version();
        });
    }

    /** Soft-deletes every version of a subject, or permanently deletes a soft-deleted subject; answers versions. */
    public CompletableFuture<List<Integer>> deleteSubject(String subject, boolean permanent) {
        return write(() -> {
            checkWritable(subject, mode(subject, true));
            List<SchemaRecord> all = existing(subject, true);
            boolean live = all.stream().anyMatch(r -> !r.deleted());
            if (!permanent && !live) {
                throw new RegistryException(40404, "Subject '" + subject + "' was soft deleted. Set "
                        + "permanent=true to delete permanently");
            }
            if (permanent && live) {
                throw new RegistryException(40405, "Subject '" + subject + "' was not deleted first before being "
                        + "permanently deleted");
            }
            // The subject's own versions referencing each other go with it.
            all.forEach(r -> checkUnreferenced(subject, r.version(), referrer -> referrer.subject().equals(subject)));
            List<Map.Entry<RegistryKey, byte[]>> records = new ArrayList<>();
            for (SchemaRecord r : all) {
                records.add(entry(RegistryKey.schema(subject, r.version()),
                        permanent ? null : RegistryJson.schemaValue(r.softDeleted())));
            }
            if (permanent) {
                records.add(entry(RegistryKey.config(subject), null));
                records.add(entry(RegistryKey.mode(subject), null));
            }
            append(records);
            return all.stream().map(SchemaRecord::version).toList();
        });
    }

    // ---- ids

    /** The schema with this id (soft-deleted versions still resolve: data written with it must stay readable). */
    public SchemaRecord schemaById(int id) {
        List<SchemaRecord> found = index.byId(id);
        if (found.isEmpty()) {
            throw RegistryException.schemaNotFound("Schema " + id + " not found");
        }
        return found.get(0);
    }

    /** The subjects and versions registered with this id. */
    public List<SchemaRecord> idVersions(int id, boolean deleted) {
        schemaById(id);
        return index.byId(id).stream().filter(r -> deleted || !r.deleted()).toList();
    }

    // ---- compatibility

    /** Why the schema may not follow the version ("latest", or every version when null) of the subject. */
    public List<String> compatibility(String subject, String version, String schemaText, String schemaType,
                                      List<SchemaReference> references) {
        ParsedSchema schema = parse(schemaType, schemaText, references);
        List<SchemaRecord> against;
        if (version == null) {
            against = index.versions(subject, false);
        } else if (parseVersion(version) == -1 && index.versions(subject, false).isEmpty()) {
            return List.of();
        } else {
            against = List.of(version(subject, version, false));
        }
        List<ParsedSchema> earlier = against.stream().map(this::parsed).toList();
        return Compatibility.incompatibilities(level(subject), schema, earlier);
    }

    /** A stored version's schema, parsed again to check a newer one against it. */
    private ParsedSchema parsed(SchemaRecord record) {
        return parse(record.schemaType(), record.schema(), record.references());
    }

    /** Parses a schema with the schemas it references (42201 when one is not registered). */
    private ParsedSchema parse(String schemaType, String text, List<SchemaReference> references) {
        Map<String, String> referenced = new LinkedHashMap<>();
        collectReferenced(references, referenced, 0);
        return SchemaTypes.parse(schemaType, text, referenced);
    }

    /** Each referenced schema's text by the name it is referenced with, the ones it references before it. */
    private void collectReferenced(List<SchemaReference> references, Map<String, String> texts, int depth) {
        if (depth > MAX_REFERENCE_DEPTH) {
            throw RegistryException.invalidSchema("references nest deeper than " + MAX_REFERENCE_DEPTH);
        }
        for (SchemaReference reference : references) {
            if (texts.containsKey(reference.name())) {
                continue;
            }
            SchemaRecord target = index.versions(reference.subject(), false).stream()
                    .filter(r -> r.version() == reference.version()).findFirst()
                    .orElseThrow(() -> RegistryException.invalidSchema("reference " + reference.name() + " names "
                            + reference.subject() + " version " + reference.version() + ", which is not registered"));
            collectReferenced(target.references(), texts, depth + 1);
            texts.put(reference.name(), target.schema());
        }
    }

    /** The subject's level, else the global one, else BACKWARD. */
    public CompatibilityLevel level(String subject) {
        return CompatibilityLevel.parse(index.config(subject).or(() -> index.config(null))
                .orElse(CompatibilityLevel.BACKWARD.name()));
    }

    // ---- config and mode (a null subject is the global setting)

    /** The level set for a subject (40408 when none, unless it falls back to the global one). */
    public CompatibilityLevel config(String subject, boolean defaultToGlobal) {
        if (subject == null || defaultToGlobal) {
            return level(subject);
        }
        return CompatibilityLevel.parse(index.config(subject).orElseThrow(() -> new RegistryException(40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured")));
    }

    public CompletableFuture<CompatibilityLevel> setConfig(String subject, String level) {
        CompatibilityLevel parsed = CompatibilityLevel.parse(level);
        return write(() -> {
            checkWritable(subject, mode(subject, true));
            append(List.of(entry(RegistryKey.config(subject), RegistryJson.configValue(parsed.name()))));
            return parsed;
        });
    }

    /** Removes a subject's level (or resets the global one), answering the level it had. */
    public CompletableFuture<CompatibilityLevel> deleteConfig(String subject) {
        return write(() -> {
            CompatibilityLevel previous = config(subject, false);
            append(List.of(entry(RegistryKey.config(subject), null)));
            return previous;
        });
    }

    /** The mode of a subject (40409 when it has none, unless it falls back to the global one). */
    public String mode(String subject, boolean defaultToGlobal) {
        Optional<String> own = index.mode(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (subject == null || defaultToGlobal) {
            return index.mode(null).orElse(READWRITE);
        }
        throw new RegistryException(40409, "Subject '" + subject + "' does not have subject-level mode configured");
    }

    public CompletableFuture<String> setMode(String subject, String mode) {
        if (mode == null || !MODES.contains(mode)) {
            throw new RegistryException(42204, "Invalid mode. Valid values are READWRITE, READONLY and IMPORT");
        }
        return write(() -> {
            append(List.of(entry(RegistryKey.mode(subject), RegistryJson.modeValue(mode))));
            return mode;
        });
    }

    // ---- helpers

    private List<SchemaRecord> existing(String subject, boolean deleted) {
        List<SchemaRecord> versions = index.versions(subject, deleted);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    /** A version number, or -1 for "latest" (as Confluent takes -1 too); 42202 for anything else. */
    static int parseVersion(String version) {
        if ("latest".equals(version)) {
            return -1;
        }
        try {
            int v = Integer.parseInt(version);
            if (v == -1 || v >= 1) {
                return v;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw RegistryException.invalidVersion(version);
    }

    /** 42206 when a version, soft-deleted or not, that {@code ignored} does not exempt references this one. */
    private void checkUnreferenced(String subject, int version, Predicate<SchemaRecord> ignored) {
        if (index.referencedBy(subject, version).stream().anyMatch(ignored.negate())) {
            throw RegistryException.referenceExists(subject, version);
        }
    }

    private static void checkWritable(String subject, String mode) {
        if ("READONLY".equals(mode)) {
            throw new RegistryException(42205, "Subject " + subject + " is in read-only mode");
        }
    }

    private static Map.Entry<RegistryKey, byte[]> entry(RegistryKey key, byte[] value) {
        return new AbstractMap.SimpleEntry<>(key, value);
    }

    private void append(List<Map.Entry<RegistryKey, byte[]>> records) throws Exception {
        writer.append(records);
    }

    private <T> CompletableFuture<T> write(Callable<T> operation) {
        return writer.submit(operation);
    }

    @Override
    public void close() {
        writer.close();
        log.close();
    }
}
