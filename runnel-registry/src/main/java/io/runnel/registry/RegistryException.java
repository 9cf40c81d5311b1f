package io.runnel.registry;

/**
 * A refusal with Confluent's error code: the HTTP status is the code's first three digits (40401 → 404, 42201 → 422),
 * or the code itself when it has three (409).
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;

    public RegistryException(int errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return errorCode >= 1000 ? errorCode / 100 : errorCode;
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

    public static RegistryException storeError(String detail) {
        return new RegistryException(50001, "Error in the backend data store - " + detail);
    }
}
