package io.runnel.broker.group;

import io.netty.util.Timeout;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A member of a classic group: what it joined with, its assignment, and the requests it has parked. */
final class ClassicMember {
    private static final byte[] EMPTY = new byte[0];

    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    String protocolType;
    /** Protocol name to its metadata, in the member's order of preference. */
    Map<String, byte[]> protocols = new LinkedHashMap<>();
    byte[] assignment = EMPTY;
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    CompletableFuture<SyncGroupResponseData> awaitingSync;
    Timeout sessionTimer;

    ClassicMember(String memberId, String groupInstanceId) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
    }

    byte[] metadata(String protocol) {
        byte[] metadata = protocol == null ? null : protocols.get(protocol);
        return metadata == null ? EMPTY : metadata;
    }

    /** Same protocols, same metadata, same order: a rejoin with it needs no rebalance. */
    boolean sameProtocols(Map<String, byte[]> other) {
        if (!protocols.keySet().stream().toList().equals(other.keySet().stream().toList())) {
            return false;
        }
        return protocols.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.get(e.getKey())));
    }

    void clearAssignment() {
        assignment = EMPTY;
    }

    void cancelSessionTimer() {
        if (sessionTimer != null) {
            sessionTimer.cancel();
            sessionTimer = null;
        }
    }
}
