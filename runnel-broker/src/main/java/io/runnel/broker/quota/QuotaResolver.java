package io.runnel.broker.quota;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Which quota of one key applies to a (user, client id), by Kafka's rule: the first of eight entities that sets it
 * (user and client id, user and default client id, user, default user and client id, default user and default client
 * id, default user, client id, default client id), measured per client of that entity (each user of a default user
 * quota has a budget of its own; the users of a client-id quota share one). Resolutions are cached until the
 * configured quotas change; nothing is looked up while none is set.
 */
final class QuotaResolver {
    /** Resolutions kept before the cache starts again. */
    static final int MAX_CLIENTS = 10_000;

    private final String key;
    private final Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured;
    private volatile Resolutions resolutions = new Resolutions(Map.of());

    /** Whose usage is measured against a quota: an empty part is not part of the quota's entity. */
    record Client(String user, String clientId) {
    }

    /** The quota that applies, and the client whose usage counts against it. */
    record Quota(Client measured, double bound) {
    }

    /** Each client's quota, as of one version of the configured quotas. */
    private record Resolutions(Map<ClientQuotaEntity, Map<String, Double>> from,
                               Map<Client, Optional<Quota>> byClient) {
        Resolutions(Map<ClientQuotaEntity, Map<String, Double>> from) {
            this(from, new ConcurrentHashMap<>());
        }
    }

    /**
     * @param key        the quota, as {@code AlterClientQuotas} names it
     * @param configured the quotas set in the metadata image, read on every request (an immutable map)
     */
    QuotaResolver(String key, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured) {
        this.key = key;
        this.configured = configured;
    }

    /** The client's quota, or null when it has none. */
    Quota quotaOf(String user, String clientId) {
        Map<ClientQuotaEntity, Map<String, Double>> quotas = configured.get();
        if (quotas.isEmpty()) {
            return null;
        }
        Resolutions current = resolutions;
        if (current.from() != quotas || current.byClient().size() > MAX_CLIENTS) {
            current = new Resolutions(quotas);
            resolutions = current;
        }
        return current.byClient().computeIfAbsent(new Client(user, clientId), c -> resolve(quotas, user, clientId))
                .orElse(null);
    }

    private Optional<Quota> resolve(Map<ClientQuotaEntity, Map<String, Double>> quotas, String user, String clientId) {
        Client both = new Client(user, clientId);
        Client userOnly = new Client(user, "");
        Client clientOnly = new Client("", clientId);
        List<Map.Entry<ClientQuotaEntity, Client>> candidates = List.of(
                Map.entry(entity(user, clientId), both),
                Map.entry(entity(user, null), both),
                Map.entry(userEntity(user), userOnly),
                Map.entry(entity(null, clientId), both),
                Map.entry(entity(null, null), both),
                Map.entry(userEntity(null), userOnly),
                Map.entry(clientEntity(clientId), clientOnly),
                Map.entry(clientEntity(null), clientOnly));
        for (Map.Entry<ClientQuotaEntity, Client> candidate : candidates) {
            Double bound = quotas.getOrDefault(candidate.getKey(), Map.of()).get(key);
            if (bound != null) {
                return Optional.of(new Quota(candidate.getValue(), bound));
            }
        }
        return Optional.empty();
    }

    private static ClientQuotaEntity entity(String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.USER, user);
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaEntity userEntity(String user) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.USER, user));
    }

    private static ClientQuotaEntity clientEntity(String clientId) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, clientId));
    }
}
