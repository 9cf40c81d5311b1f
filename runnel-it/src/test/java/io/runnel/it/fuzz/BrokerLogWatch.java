package io.runnel.it.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Watches the in-process broker's log while it is fuzzed: every ERROR of the broker or Netty, every WARN from Netty (an exception or a
 * message that reached the tail of a pipeline, a failed event-loop task, a leaked buffer), and the WARNs that close a
 * connection naming its peer, which are counted.
 */
final class BrokerLogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final int KEPT = 20;
    /** Netty logs a message discarded at the tail of a pipeline at DEBUG. */
    private static final String PIPELINE_LOGGER = "io.netty.channel.DefaultChannelPipeline";

    final LongAdder closingWarnings = new LongAdder();
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final LongAdder problemCount = new LongAdder();
    private final Set<String> kinds = ConcurrentHashMap.newKeySet();
    private final List<Logger> watched;
    private final Level pipelineLevel;

    BrokerLogWatch() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        // The broker's loggers do not add to the root's appenders, so both are watched.
        watched = List.of(context.getLogger(Logger.ROOT_LOGGER_NAME), context.getLogger("io.runnel"));
        Logger pipeline = context.getLogger(PIPELINE_LOGGER);
        pipelineLevel = pipeline.getLevel();
        pipeline.setLevel(Level.DEBUG);
        start();
        watched.forEach(logger -> logger.addAppender(this));
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        boolean netty = event.getLoggerName().startsWith("io.netty");
        boolean broker = netty || event.getLoggerName().startsWith("io.runnel");
        if (event.getLevel() == Level.WARN && message.startsWith("Closing connection from /")) {
            closingWarnings.increment();
        }
        if (broker && event.getLevel().isGreaterOrEqual(Level.ERROR)
                || netty && event.getLevel().isGreaterOrEqual(Level.WARN)
                || message.contains("reached at the tail of the pipeline")
                || message.contains("LEAK:")) {
            problemCount.increment();
            // One example of each kind: the logger and the message without its numbers (ids, ports, versions).
            String kind = event.getLoggerName() + " " + message.replaceAll("[0-9]+", "#");
            if (problems.size() < KEPT && kinds.add(kind)) {
                problems.add(event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
                        + message + throwable(event.getThrowableProxy()));
            }
        }
    }

    long problemCount() {
        return problemCount.sum();
    }

    private static String throwable(IThrowableProxy proxy) {
        if (proxy == null) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n  ").append(proxy.getClassName()).append(": ").append(proxy.getMessage());
        var frames = proxy.getStackTraceElementProxyArray();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            text.append("\n    ").append(frames[i].getSTEAsString());
        }
        return proxy.getCause() == null ? text.toString() : text + "\n  caused by" + throwable(proxy.getCause());
    }

    @Override
    public void close() {
        watched.forEach(logger -> logger.detachAppender(this));
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(PIPELINE_LOGGER).setLevel(pipelineLevel);
        stop();
    }
}
