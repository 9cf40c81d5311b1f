package io.runnel.http;

/**
 * A refusal with Confluent's error code: the HTTP status is the code's first three digits (40401 → 404, 42201 → 422),
 * or the code itself when it has three (409).
 */
public class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;

    public HttpException(int errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public final int errorCode() {
        return errorCode;
    }

    public final int httpStatus() {
        return errorCode >= 1000 ? errorCode / 100 : errorCode;
    }
}
