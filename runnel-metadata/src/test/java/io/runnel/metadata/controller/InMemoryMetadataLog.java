package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A metadata log that applies each entry at once, remembering the entries written. */
public final class InMemoryMetadataLog implements MetadataLog {
    private volatile MetadataImage image = MetadataImage.empty("test-cluster");
    final List<List<MetadataRecord>> entries = new ArrayList<>();

    @Override
    public CompletableFuture<MetadataImage> currentImage() {
        return CompletableFuture.completedFuture(image);
    }

    @Override
    public synchronized CompletableFuture<Void> write(List<MetadataRecord> records, RequestAnswer answered) {
        entries.add(records);
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        image = delta.apply(entries.size());
        return CompletableFuture.completedFuture(null);
    }

    public MetadataImage image() {
        return image;
    }
}
