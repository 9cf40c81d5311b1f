package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.quota.ClientQuotaEntity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeClientQuotas (KIP-546) from this broker's metadata image, with Kafka's filter: each component matches an
 * entity type exactly (a name), by its default, or by any name; strict filters match only entities of exactly the
 * filtered types; no component and not strict lists every entity. A bad filter fails the whole request.
 */
public final class DescribeClientQuotasHandler implements ApiHandler {
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final byte MATCH_ANY = 2;

    private final ReplicaManager replicas;

    public DescribeClientQuotasHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeClientQuotasRequestData request = (DescribeClientQuotasRequestData) message;
        Map<String, String> exact = new HashMap<>();
        Set<String> filtered = new HashSet<>();
        for (ComponentData component : request.components()) {
            String type = component.entityType();
            if (type.isEmpty()) {
                throw new InvalidRequestException("Invalid empty entity type.");
            }
            if (!filtered.add(type)) {
                throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID)
                    && !type.equals(ClientQuotaEntity.IP)) {
                throw new UnsupportedVersionException("Unsupported entity type " + type);
            }
            switch (component.matchType()) {
                case MATCH_EXACT -> {
                    if (component.match() == null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exact.put(type, component.match());
                }
                case MATCH_DEFAULT -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exact.put(type, null);
                }
                case MATCH_ANY -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                }
                default -> throw new InvalidRequestException("Unknown match type " + component.matchType());
            }
        }
        if (filtered.contains(ClientQuotaEntity.IP) && filtered.size() > 1) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component should"
                    + " not be used with user or clientId filter component.");
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData().setErrorMessage(null);
        if (filtered.isEmpty() && request.strict()) {
            return CompletableFuture.completedFuture(response);
        }
        replicas.image().clientQuotas().forEach((entity, quotas) -> {
            if (matches(entity.entries(), exact, filtered, request.strict())) {
                response.entries().add(entry(entity, quotas));
            }
        });
        return CompletableFuture.completedFuture(response);
    }

    private static boolean matches(Map<String, String> entity, Map<String, String> exact, Set<String> filtered,
                                   boolean strict) {
        for (String type : filtered) {
            if (!entity.containsKey(type)) {
                return false;
            }
            if (exact.containsKey(type) && !Objects.equals(exact.get(type), entity.get(type))) {
                return false;
            }
        }
        return !strict || entity.size() == filtered.size();
    }

    private static EntryData entry(ClientQuotaEntity entity, Map<String, Double> quotas) {
        EntryData entry = new EntryData();
        new TreeMap<>(entity.entries()).forEach((type, name) ->
                entry.entity().add(new EntityData().setEntityType(type).setEntityName(name)));
        new TreeMap<>(quotas).forEach((key, value) -> entry.values().add(new ValueData().setKey(key).setValue(value)));
        return entry;
    }
}
