package io.runnel.registry.storage;

/**
 * A key of the {@code _schemas} topic. Confluent's key types: a subject's version (SCHEMA), the global or a subject's
 * compatibility (CONFIG) and mode (MODE), a subject's soft delete (DELETE_SUBJECT) and permanent delete
 * (CLEAR_SUBJECT), and NOOP. A null subject is the global CONFIG or MODE; version is 0 except for SCHEMA.
 */
public record RegistryKey(KeyType type, String subject, int version) {
    public enum KeyType { SCHEMA, CONFIG, MODE, DELETE_SUBJECT, CLEAR_SUBJECT, NOOP }

    public static RegistryKey schema(String subject, int version) {
        return new RegistryKey(KeyType.SCHEMA, subject, version);
    }

    public static RegistryKey config(String subject) {
        return new RegistryKey(KeyType.CONFIG, subject, 0);
    }

    public static RegistryKey mode(String subject) {
        return new RegistryKey(KeyType.MODE, subject, 0);
    }
}
