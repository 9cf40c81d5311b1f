package io.runnel.broker.protocol;

import io.netty.channel.DefaultFileRegion;

import java.nio.channels.FileChannel;

/** A file region over a channel the log owns: sending it must not close the segment file. */
final class UnownedFileRegion extends DefaultFileRegion {
    UnownedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The segment's FileChannel stays open: the log closes it when the segment is deleted or the log closed.
    }
}
