package io.runnel.metadata;

/** Told of every applied change, in apply order, on the apply thread: implementations must not block. */
public interface MetadataListener {
    void onMetadataUpdate(MetadataImage previous, MetadataImage current);
}
