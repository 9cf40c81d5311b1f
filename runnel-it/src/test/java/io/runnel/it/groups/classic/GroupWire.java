package io.runnel.it.groups.classic;

import io.runnel.it.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** One request on its own connection, for the error cases no public client API can produce (e.g. a stale generation). */
final class GroupWire {
    private GroupWire() {
    }

    /** Sends the request to the group's coordinator, as a client does: any broker names it (FindCoordinator). */
    static AbstractResponse sendToCoordinator(String bootstrapServers, String group, AbstractRequest request)
            throws IOException {
        FindCoordinatorResponse[] found = new FindCoordinatorResponse[1];
        Await.awaitCondition(Duration.ofSeconds(60), () -> {
            try {
                found[0] = (FindCoordinatorResponse) send(bootstrapServers, new FindCoordinatorRequest.Builder(
                        new FindCoordinatorRequestData().setKey(group)
                                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id())).build((short) 3));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return found[0].error() == Errors.NONE;
        }, "a coordinator for " + group);
        return send(found[0].data().host() + ":" + found[0].data().port(), request);
    }

    static AbstractResponse send(String bootstrapServers, AbstractRequest request) throws IOException {
        String first = bootstrapServers.split(",")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))), 30_000);
            socket.setSoTimeout(30_000);
            RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "group-wire", 1);
            ByteBuffer bytes = request.serializeWithHeader(header);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
        }
    }
}
