package io.runnel.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.runnel.storage.LogSlice;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class ResponseEncoderTest {
    private static final short FETCH_VERSION = 16;

    @Test
    void recordSectionsBecomePartsOfTheirOwnWithoutCopying(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("segment.log"), new byte[4096]);
        MemoryRecords memory = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FetchResponseData response = new FetchResponseData().setResponses(List.of(
                new FetchResponseData.FetchableTopicResponse().setTopicId(Uuid.randomUuid()).setPartitions(List.of(
                    new FetchResponseData.PartitionData().setPartitionIndex(0).setRecords(memory),
                    new FetchResponseData.PartitionData().setPartitionIndex(1)
                        .setRecords(LogSliceRecords.of(new LogSlice(channel, 1000, 2000)))))));
            List<Object> parts = encode(new FetchRequestData().setReplicaId(-1), FETCH_VERSION, response);

            assertEquals(5, parts.size(), "header and fields, memory records, fields, file region, trailing fields");
            ByteBuf wrapped = assertInstanceOf(ByteBuf.class, parts.get(1));
            assertSame(memory.buffer().array(), wrapped.array(), "memory records are wrapped, not copied");
            FileRegion region = assertInstanceOf(FileRegion.class, parts.get(3));
            assertEquals(1000, region.position());
            assertEquals(2000, region.count());

            long total = 0;
            for (Object part : parts) {
                total += part instanceof ByteBuf buf ? buf.readableBytes() : ((FileRegion) part).count();
            }
            ByteBuf first = (ByteBuf) parts.get(0);
            assertEquals(total - Integer.BYTES, first.getInt(first.readerIndex()), "the size prefix covers every part");
            parts.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void apiVersionsResponsesUseHeaderV0EvenForFlexibleVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        List<Object> parts = encode(new ApiVersionsRequestData().setClientSoftwareName("a").setClientSoftwareVersion("1"),
            (short) 3, response);
        ByteBuf buf = (ByteBuf) parts.get(0);
        assertEquals(1, parts.size());
        assertEquals(9, buf.getInt(4), "correlation id");
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), buf.getShort(8), "no tagged fields between correlation id and body");
        buf.release();
    }

    private static List<Object> encode(ApiMessage request, short version,
                                       ApiMessage response) {
        ParsedRequest parsed = ParsedRequest.parse(WireClient.encodeRequest(request, version, 9));
        EmbeddedChannel channel = new EmbeddedChannel();
        ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, parsed, response).writeTo(channel);
        channel.flush();
        List<Object> parts = new ArrayList<>();
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            parts.add(part);
        }
        return parts;
    }
}
