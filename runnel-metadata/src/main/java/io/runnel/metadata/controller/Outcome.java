package io.runnel.metadata.controller;

import io.runnel.metadata.record.MetadataRecord;
import java.util.List;

/** What a controller operation decided: the records to write as one entry (possibly none) and the answer. */
record Outcome<T>(List<MetadataRecord> records, T result) {
    static <T> Outcome<T> of(T result) {
        return new Outcome<>(List.of(), result);
    }
}
