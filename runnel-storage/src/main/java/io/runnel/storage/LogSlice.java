package io.runnel.storage;

import java.nio.channels.FileChannel;

/** A region of whole record batches in one segment file, handed to the network as is (zero copy). */
public record LogSlice(FileChannel channel, long position, int size) {
    public static final LogSlice EMPTY = new LogSlice(null, 0, 0);
}
