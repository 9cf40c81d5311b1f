package io.runnel.registry;

import io.runnel.http.HttpException;

/** A refusal of the registry, with Confluent Schema Registry's error codes. */
public final class RegistryException extends HttpException {
    private static final long serialVersionUID = 1L;

    public RegistryException(int errorCode, String message) {
        super(errorCode, message);
    }

    public static RegistryException subjectNotFound(String subject) {
        return new RegistryException(40401, "Subject '" + subject + "' not found.");
    }

    public static RegistryException versionNotFound(int version) {
        return new RegistryException(40402, "Version " + version + " not found.");
    }

    public static RegistryException schemaNotFound(String detail) {
        return new RegistryException(40403, detail);
    }

    public static RegistryException invalidSchema(String detail) {
        return new RegistryException(42201, "Invalid schema " + detail);
    }

    public static RegistryException invalidVersion(String version) {
        return new RegistryException(42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    /** Confluent's 42206: the version is referenced by another schema, which must be deleted first. */
    public static RegistryException referenceExists(String subject, int version) {
        return new RegistryException(42206, "One or more references exist to the schema {subject=" + subject
                + ",version=" + version + "}.");
    }

    /** Confluent's 50004: no instance is the leader, so no write can be made now. */
    public static RegistryException unknownLeader(String detail) {
        return new RegistryException(50004, "Unknown leader: " + detail);
    }

    /** Confluent's 50003: the leader could not be reached with a write this instance forwarded. */
    public static RegistryException forwardingFailed(String detail) {
        return new RegistryException(50003, "Error while forwarding the request to the leader: " + detail);
    }

    public static RegistryException storeError(String detail) {
        return new RegistryException(50001, "Error in the backend data store - " + detail);
    }
}
