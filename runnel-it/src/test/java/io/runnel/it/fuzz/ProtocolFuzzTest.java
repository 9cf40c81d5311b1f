package io.runnel.it.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.util.ResourceLeakDetector;
import io.runnel.it.RawConnection;
import io.runnel.it.RoundTrip;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.wire.FuzzSeeds;
import io.runnel.it.wire.RawRequests;
import io.runnel.it.wire.SeedFrame;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;

/**
 * Mutated frames of every API the broker advertises, at every advertised version, sent pipelined over many
 * connections at a running broker. The broker must answer every frame or close its connection with a WARN naming the
 * peer, log no ERROR and nothing from Netty's pipeline tail or event loops, keep its heap bounded, and afterwards serve
 * real clients and every record it acknowledged to the fuzzer, readable.
 *
 * <p>{@code -Drunnel.fuzz.frames} (default 1,000,000), {@code -Drunnel.fuzz.seed} (printed; set it to replay a run),
 * {@code -Drunnel.fuzz.workers} (connections at a time, default 8).
 */
class ProtocolFuzzTest {
    private static final String LOG_TOPIC = "fuzz-log";
    private static final String SCRATCH_TOPIC = "scratch";
    private static final long HEAP_GROWTH_BOUND = 128L * 1024 * 1024;
    private static final Duration READ_BACK = Duration.ofSeconds(120);

    private final long frames = Long.getLong("runnel.fuzz.frames", 1_000_000);
    private final long seed = Long.getLong("runnel.fuzz.seed", System.nanoTime());
    private final int workers = Integer.getInteger("runnel.fuzz.workers", 8);

    @Test
    void brokerSurvivesMutatedFramesOfEveryApi() throws Exception {
        System.out.println("ProtocolFuzzTest: seed " + seed + " (-Drunnel.fuzz.seed=" + seed + " replays it), "
                + frames + " frames, " + workers + " connections at a time, Netty leak detection "
                + ResourceLeakDetector.getLevel());
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        try (RunnelCluster cluster = RunnelCluster.builder()
                .brokerProperty("auto.create.topics.enable", "false")
                .brokerProperty("group.initial.rebalance.delay.ms", "0")
                .start()) {
            Uuid logTopicId = cluster.createTopic(LOG_TOPIC, 1);
            cluster.createTopic(SCRATCH_TOPIC, 2);
            String bootstrap = cluster.bootstrapServers();
            InetSocketAddress broker = new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)));
            List<SeedFrame> seeds = new FuzzSeeds(LOG_TOPIC, logTopicId, SCRATCH_TOPIC, cluster.nodeIds().get(0))
                    .build(advertisedVersions(bootstrap));
            printSeeds(seeds);
            FrameMutator mutator = new FrameMutator(seeds);
            byte[] sentinel = bytes(RawRequests.apiVersions(-1, RawRequests.API_VERSIONS_VERSION));
            FuzzStats stats = new FuzzStats();

            Set<Thread> networkThreads = networkThreads();
            long heapBefore = usedHeapAfterGc();
            long started = System.nanoTime();
            try (BrokerLogWatch log = new BrokerLogWatch()) {
                run(workers(mutator, sentinel, broker, logTopicId, stats));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                System.out.println("ProtocolFuzzTest: " + stats.summary() + " in " + seconds + " s; closing WARNs "
                        + log.closingWarnings.sum());

                assertEquals(frames, stats.frames.sum(), "frames the broker received");
                networkThreads.forEach(t -> assertTrue(t.isAlive(), t.getName() + " died"));
                assertEquals(List.of(), uncaught, "uncaught exceptions");
                assertEquals(List.of(), stats.unreadableExamples, stats.unreadable.sum() + " unreadable responses");
                assertTrue(log.closingWarnings.sum() >= stats.closedByBroker.sum(), "connections closed without a WARN "
                        + "naming the peer: " + log.closingWarnings.sum() + " WARNs for " + stats.closedByBroker.sum());
                long heapAfter = usedHeapAfterGc();
                System.out.printf("ProtocolFuzzTest: used heap after GC %d MiB before, %d MiB after%n",
                        heapBefore >> 20, heapAfter >> 20);
                assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND, "heap grew from " + (heapBefore >> 20)
                        + " MiB to " + (heapAfter >> 20) + " MiB");

                RoundTrip.run(cluster, "after-fuzz", 3, 300, new Properties());
                assertAcknowledgedReadable(cluster, stats);
                assertEquals(List.of(), log.problems, log.problemCount() + " broker log problems");
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    private List<FuzzWorker> workers(FrameMutator mutator, byte[] sentinel, InetSocketAddress broker, Uuid logTopicId,
                                     FuzzStats stats) {
        List<FuzzWorker> list = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long share = frames / workers + (w < frames % workers ? 1 : 0);
            list.add(new FuzzWorker(seed, w, share, mutator, sentinel, broker, LOG_TOPIC, logTopicId, stats));
        }
        return list;
    }

    /** Runs the workers to the end, bounded by a generous budget per frame; the first failure fails the test. */
    private void run(List<FuzzWorker> list) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(list.size());
        try {
            List<Future<Void>> futures = pool.invokeAll(list);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10) + TimeUnit.MILLISECONDS.toNanos(frames);
            for (Future<Void> future : futures) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
                } catch (TimeoutException e) {
                    fail("fuzzing did not finish within its time budget");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every Produce the broker acknowledged to the fuzzer is there, and the whole log reads back without error. */
    private static void assertAcknowledgedReadable(RunnelCluster cluster, FuzzStats stats) {
        BitSet offsets = new BitSet();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(LOG_TOPIC, 1), READ_BACK,
                    record -> offsets.set(Math.toIntExact(record.offset())));
        }
        List<Long> missing = stats.acknowledgedOffsets.stream().filter(o -> !offsets.get(Math.toIntExact(o)))
                .limit(20).toList();
        assertEquals(List.of(), missing, "acknowledged base offsets not read back (of "
                + stats.acknowledgedOffsets.size() + " acknowledged, " + offsets.cardinality() + " records read)");
        System.out.println("ProtocolFuzzTest: " + offsets.cardinality() + " records of " + LOG_TOPIC
                + " read back, every acknowledged batch among them");
    }

    private static ApiVersionsResponseData advertisedVersions(String bootstrap) throws Exception {
        try (RawConnection connection = new RawConnection(bootstrap)) {
            connection.sendFrame(RawRequests.apiVersions(1, RawRequests.API_VERSIONS_VERSION));
            return RawRequests.apiVersionsResponse(connection.receiveFrame(), 1, RawRequests.API_VERSIONS_VERSION);
        }
    }

    private static void printSeeds(List<SeedFrame> seeds) {
        Map<Short, Long> perKey = seeds.stream().collect(Collectors.groupingBy(SeedFrame::apiKey, TreeMap::new,
                Collectors.counting()));
        System.out.println("ProtocolFuzzTest: " + seeds.size() + " seed frames for " + perKey.size()
                + " api keys (key=seeds): " + perKey);
    }

    private static Set<Thread> networkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("runnel-network"))
                .collect(Collectors.toSet());
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
