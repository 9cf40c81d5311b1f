package io.runnel.broker.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.runnel.broker.protocol.ParsedRequest;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses each frame into a request. A frame the codec cannot read (truncated or malformed, an unknown api key, a
 * version kafka-clients does not know) closes the connection with a WARN: no response could be encoded for it. Two
 * kinds pass on to be answered instead: an ApiVersions request of an unknown version (at v0, KIP-511), and a readable
 * request of an api or version this broker does not advertise (UNSUPPORTED_VERSION, from the dispatcher).
 */
@ChannelHandler.Sharable
final class RequestDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDecoder.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RequestFrame frame = (RequestFrame) msg;
        if (!ctx.channel().isOpen()) {
            frame.release();
            return;
        }
        ParsedRequest request;
        try {
            request = ParsedRequest.parse(frame.buffer().nioBuffer());
        } catch (InvalidRequestException e) {
            frame.release();
            log.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        ctx.fireChannelRead(new FramedRequest(request, frame));
    }
}
