package io.runnel.it.configs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** The legacy AlterConfigs request, which kafka-clients 4 Admin no longer sends, over a plain socket. */
final class LegacyAlterConfigs {
    private static final short VERSION = 2;
    private static final int TIMEOUT_MS = 30_000;

    private LegacyAlterConfigs() {
    }

    /** Replaces the resource's configs with {@code configs}; returns the resource's error. */
    static Errors replace(String bootstrapServers, ConfigResource resource, Map<String, String> configs)
            throws IOException {
        AlterConfigsRequestData.AlterableConfigCollection entries = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.forEach((k, v) -> entries.add(new AlterConfigsRequestData.AlterableConfig().setName(k).setValue(v)));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources =
                new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(resource.type().id()).setResourceName(resource.name()).setConfigs(entries));
        RequestHeader header = new RequestHeader(ApiKeys.ALTER_CONFIGS, VERSION, "runnel-it-legacy", 1);
        ByteBuffer request = new AlterConfigsRequest(new AlterConfigsRequestData().setResources(resources), VERSION)
                .serializeWithHeader(header);
        String first = bootstrapServers.split(",")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] bytes = new byte[request.remaining()];
            request.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            AlterConfigsResponseData data = ((AlterConfigsResponse) AbstractResponse.parseResponse(
                    ByteBuffer.wrap(response), header)).data();
            return Errors.forCode(data.responses().get(0).errorCode());
        }
    }
}
