package io.runnel.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Serializes a response for the request it answers: size prefix, header at the request's response-header version, body. */
public final class ResponseEncoder {
    private ResponseEncoder() {
    }

    /**
     * Everything but record sections goes into one buffer from {@code alloc}; record sections stay zero-copy parts.
     *
     * @throws RuntimeException if the response cannot be written at the request's version (e.g. a field set that the
     *                          version lacks); nothing is leaked then
     */
    public static EncodedResponse encode(ByteBufAllocator alloc, ParsedRequest request, ApiMessage response) {
        short version = request.responseVersion();
        short headerVersion = request.responseHeaderVersion();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        response.addSize(size, cache, version);

        ByteBuf buf = alloc.ioBuffer(Integer.BYTES + size.sizeExcludingZeroCopy());
        ByteBufWritable writable = new ByteBufWritable(buf);
        try {
            buf.writeInt(size.totalSize());
            header.write(writable, cache, headerVersion);
            response.write(writable, cache, version);
        } catch (RuntimeException e) {
            writable.discard();
            throw e;
        }
        return new EncodedResponse(writable.finish());
    }
}
