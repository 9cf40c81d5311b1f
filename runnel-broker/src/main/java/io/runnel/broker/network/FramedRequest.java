package io.runnel.broker.network;

import io.netty.util.ReferenceCounted;
import io.runnel.broker.protocol.ParsedRequest;

/** A parsed request and the frame it was read from, which must outlive the request's handling. */
record FramedRequest(ParsedRequest request, ReferenceCounted frame) {
}
