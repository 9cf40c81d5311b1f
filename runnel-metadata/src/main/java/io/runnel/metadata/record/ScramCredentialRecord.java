package io.runnel.metadata.record;

/**
 * A user's SCRAM credential for one mechanism ({@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}), as Kafka's
 * UserScramCredentialRecord holds it (salt, stored key, server key, iterations), in Kafka's string form
 * {@code salt=<base64>,stored_key=<base64>,server_key=<base64>,iterations=<n>}; a null {@code credential} deletes it.
 */
public record ScramCredentialRecord(String user, String mechanism, String credential) implements MetadataRecord {
    /** Without the credential, which must not reach logs. */
    @Override
    public String toString() {
        return "ScramCredentialRecord[user=" + user + ", mechanism=" + mechanism + ", credential="
                + (credential == null ? "null (deleted)" : "[hidden]") + "]";
    }
}
