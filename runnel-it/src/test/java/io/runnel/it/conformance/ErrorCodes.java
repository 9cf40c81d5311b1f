package io.runnel.it.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.Message;

/** Every error code anywhere in a message: top level, per topic, partition, group, member... */
final class ErrorCodes {
    private ErrorCodes() {
    }

    /** An error code and where it sits, e.g. {@code topics[0].partitions[1].errorCode}. */
    record Found(String path, Errors error) {
    }

    static List<Found> in(Message message) {
        List<Found> found = new ArrayList<>();
        walk(message, "", found);
        return found;
    }

    private static void walk(Message message, String path, List<Found> found) {
        for (Method getter : message.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() != message.getClass() || getter.getName().equals("duplicate")) {
                continue;
            }
            String name = getter.getName();
            Class<?> type = getter.getReturnType();
            if (type == short.class && (name.equals("errorCode") || name.endsWith("ErrorCode"))) {
                found.add(new Found(path + name, Errors.forCode((short) get(getter, message))));
            } else if (Message.class.isAssignableFrom(type)) {
                Object child = get(getter, message);
                if (child != null) {
                    walk((Message) child, path + name + ".", found);
                }
            } else if (Collection.class.isAssignableFrom(type)) {
                Collection<?> children = (Collection<?>) get(getter, message);
                if (children == null) {
                    continue;
                }
                int i = 0;
                for (Object child : children) {
                    if (child instanceof Message m) {
                        walk(m, path + name + "[" + i + "].", found);
                    }
                    i++;
                }
            }
        }
    }

    private static Object get(Method getter, Message message) {
        try {
            return getter.invoke(message);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter + " of " + message.getClass().getSimpleName(), e);
        }
    }
}
