package io.runnel.metadata.controller;

import java.util.UUID;

/**
 * The id of the request an entry carries out and the answer it was given, written in the same entry as the
 * request's records: a retry of the request, or the entry committed twice, is recognised by the id.
 */
public record RequestAnswer(UUID requestId, byte[] answer) {
}
