package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.MetadataRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the controller needs from the replicated metadata log. */
public interface MetadataLog {
    /**
     * The image once every entry committed so far is applied locally, so validation sees all earlier writes;
     * fails with {@code NotControllerException} when this node cannot act as the controller.
     */
    CompletableFuture<MetadataImage> currentImage();

    /** Appends {@code records} as one entry; completes once that entry is committed and applied locally. */
    default CompletableFuture<Void> write(List<MetadataRecord> records) {
        return write(records, null);
    }

    /**
     * Appends {@code records} as one entry carrying out the request {@code answered} names (null for none);
     * completes once that entry is committed and applied locally.
     */
    CompletableFuture<Void> write(List<MetadataRecord> records, RequestAnswer answered);
}
