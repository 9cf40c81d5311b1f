package io.runnel.broker.group;

import java.nio.ByteBuffer;

/** Rebuilds a shard's state from one record of a type the shard does not know itself. */
@FunctionalInterface
public interface GroupRecordReplayer {
    /** Called under the shard's lock while it loads; {@code value} null is a tombstone. */
    void replay(GroupShard shard, ByteBuffer key, ByteBuffer value);
}
