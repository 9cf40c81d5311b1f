package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiMessage;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Sets a response's {@code throttle_time_ms} to at least a throttle time, whatever its API: Kafka's response
 * messages that have the field share the accessor names, found once per message class. A response without the field
 * is left as it is.
 */
final class ResponseThrottle {
    private record Field(MethodHandle getter, MethodHandle setter) {
    }

    private static final ClassValue<Field> FIELDS = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new Field(lookup.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class)),
                        lookup.findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }
    };

    private ResponseThrottle() {
    }

    static ApiMessage atLeast(ApiMessage response, int throttleMs) {
        Field field = FIELDS.get(response.getClass());
        if (field == null) {
            return response;
        }
        try {
            if ((int) field.getter().invoke(response) < throttleMs) {
                field.setter().invoke(response, throttleMs);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cannot set the throttle time of " + response.getClass(), e);
        }
        return response;
    }
}
