package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * kafka-configs.sh's client quotas ({@code --entity-type users} and / or {@code clients}): {@code producer_byte_rate},
 * {@code consumer_byte_rate}, {@code request_percentage} and {@code controller_mutation_rate} of a user, a client id,
 * both, or their defaults, set, removed and described as kafka-configs.sh prints them, through AlterClientQuotas and
 * DescribeClientQuotas.
 */
final class ClientQuotaConfigs {
    /** The quota keys kafka-configs.sh accepts for users and clients. */
    static final List<String> KEYS = List.of("producer_byte_rate", "consumer_byte_rate", "request_percentage",
            "controller_mutation_rate");

    private ClientQuotaConfigs() {
    }

    /**
     * Sets and removes the entity's quotas in one request.
     *
     * @throws IllegalArgumentException for a key that is not a client quota or a value that is not a number
     */
    static void alter(Admin admin, ClientQuotaEntity entity, Map<String, String> toSet, List<String> toDelete)
            throws InterruptedException, ExecutionException {
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        toSet.forEach((key, value) -> {
            requireQuotaKey(key);
            try {
                ops.add(new ClientQuotaAlteration.Op(key, Double.parseDouble(value)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid value " + value + " for " + key + ": a number is expected");
            }
        });
        toDelete.forEach(key -> {
            requireQuotaKey(key);
            ops.add(new ClientQuotaAlteration.Op(key, null));
        });
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, ops))).all().get();
    }

    /**
     * The quotas of the entities matching: each type named with its name (null for the default), or any name of a type
     * when {@code anyName} and {@code names} holds no entry for it; every entity when no type is given.
     */
    static void describe(Admin admin, List<String> types, Map<String, String> names, boolean anyName, PrintWriter out)
            throws InterruptedException, ExecutionException {
        List<ClientQuotaFilterComponent> components = new ArrayList<>();
        for (String type : types) {
            if (anyName && !names.containsKey(type)) {
                components.add(ClientQuotaFilterComponent.ofEntityType(type));
            } else if (names.get(type) == null) {
                components.add(ClientQuotaFilterComponent.ofDefaultEntity(type));
            } else {
                components.add(ClientQuotaFilterComponent.ofEntity(type, names.get(type)));
            }
        }
        Map<ClientQuotaEntity, Map<String, Double>> quotas = admin.describeClientQuotas(types.isEmpty()
                ? ClientQuotaFilter.all() : ClientQuotaFilter.containsOnly(components)).entities().get();
        quotas.entrySet().stream().sorted(Comparator.comparing(e -> label(e.getKey())))
                .forEach(e -> out.println("Quota configs for " + label(e.getKey()) + " are "
                        + new TreeMap<>(e.getValue()).entrySet().stream().map(q -> q.getKey() + "=" + q.getValue())
                        .collect(Collectors.joining(", "))));
    }

    /** As kafka-configs.sh names an entity: {@code user-principal 'alice', the default client-id}. */
    static String label(ClientQuotaEntity entity) {
        List<String> parts = new ArrayList<>();
        for (String type : List.of(ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID)) {
            if (entity.entries().containsKey(type)) {
                String label = type.equals(ClientQuotaEntity.USER) ? "user-principal" : "client-id";
                String name = entity.entries().get(type);
                parts.add(name == null ? "the default " + label : label + " '" + name + "'");
            }
        }
        return String.join(", ", parts);
    }

    private static void requireQuotaKey(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("Invalid config " + key + ": the client quotas are " + String.join(", ", KEYS));
        }
    }
}
