package io.runnel.it.fuzz;

import io.runnel.it.wire.FuzzResponses;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.kafka.common.Uuid;

/**
 * One connection's worth of fuzzing at a time: writes rounds of frames back to back (pipelined), each round closed by
 * a valid ApiVersions request whose answer says the broker got through it, and reads the answers in order. When the
 * broker closes the connection, the frame after the last answered one is the one it refused; the frames after it are
 * sent again on a new connection, so every frame reaches the broker once. Frame {@code i} of worker {@code w} depends
 * only on the run's seed, {@code w} and {@code i}.
 */
final class FuzzWorker implements Callable<Void> {
    private static final int ROUND_FRAMES = 32;
    /** Longer than any request the seeds let the broker hold (JoinGroup's rebalance, session timeouts). */
    private static final int READ_TIMEOUT_MS = 20_000;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final int SENTINEL_ID = -1;
    /** One in this many frames repeats the previous frame, byte for byte. */
    private static final int REPEAT_ONE_IN = 50;

    private final long runSeed;
    private final int worker;
    private final long frameCount;
    private final FrameMutator mutator;
    private final byte[] sentinel;
    private final InetSocketAddress broker;
    private final String logTopic;
    private final Uuid logTopicId;
    private final FuzzStats stats;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    /** False once the broker closed the connection or a round ended it. */
    private boolean connectionOpen;
    /** Frames generated but not yet received by the broker, from index {@code pendingStart} on. */
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private long pendingStart;
    private long generated;

    FuzzWorker(long runSeed, int worker, long frameCount, FrameMutator mutator, byte[] sentinel,
               InetSocketAddress broker, String logTopic, Uuid logTopicId, FuzzStats stats) {
        this.runSeed = runSeed;
        this.worker = worker;
        this.frameCount = frameCount;
        this.mutator = mutator;
        this.sentinel = sentinel;
        this.broker = broker;
        this.logTopic = logTopic;
        this.logTopicId = logTopicId;
        this.stats = stats;
    }

    /** Frame {@code index} of this worker, as any run with the same seed builds it. */
    Frame frame(long index) {
        SplittableRandom rnd = new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L + worker * 0xBF58476D1CE4E5B9L + index);
        if (index > 0 && rnd.nextInt(REPEAT_ONE_IN) == 0) {
            Frame previous = frame(index - 1);
            return new Frame(previous.payload(), previous.sizePrefix(), "repeat of " + previous.origin());
        }
        return mutator.next(rnd);
    }

    @Override
    public Void call() throws IOException {
        while (pendingStart < frameCount) {
            try (Socket socket = connect()) {
                stats.connections.increment();
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
                connectionOpen = true;
                while (connectionOpen && pendingStart < frameCount) {
                    int delivered = round(socket, in);
                    for (int i = 0; i < delivered; i++) {
                        pending.pollFirst();
                    }
                    pendingStart += delivered;
                    stats.frames.add(delivered);
                }
            }
        }
        return null;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        // Reset instead of FIN on close: hundreds of thousands of short connections leave no TIME_WAIT behind.
        socket.setSoLinger(true, 0);
        socket.setTcpNoDelay(true);
        socket.connect(broker, READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** The frames of the next round: those not yet delivered, then new ones, up to a frame that ends the stream. */
    private List<Frame> nextRound() {
        List<Frame> frames = new ArrayList<>(ROUND_FRAMES);
        for (Frame frame : pending) {
            frames.add(frame);
            if (frame.breaksStream() || frames.size() == ROUND_FRAMES) {
                return frames;
            }
        }
        while (frames.size() < ROUND_FRAMES && generated < frameCount) {
            Frame frame = frame(generated);
            frame.setCorrelationId((int) generated);
            generated++;
            pending.addLast(frame);
            frames.add(frame);
            if (frame.breaksStream()) {
                break;
            }
        }
        return frames;
    }

    /** Sends a round and reads its answers; returns how many of its frames the broker received. */
    private int round(Socket socket, DataInputStream in) throws IOException {
        List<Frame> frames = nextRound();
        long start = pendingStart;
        boolean endsStream = frames.get(frames.size() - 1).breaksStream();
        write(socket, frames, endsStream);
        int expected = 0;
        while (true) {
            ByteBuffer response;
            try {
                response = readResponse(in);
            } catch (SocketTimeoutException e) {
                return heldOrHung(frames, expected);
            } catch (IOException e) {
                // Closed by the broker (EOF or reset).
                connectionOpen = false;
                if (endsStream && expected >= frames.size() - 1) {
                    stats.sizePrefixEnded.increment();
                    return frames.size();
                }
                if (expected == frames.size()) {
                    // Every frame answered, yet the valid ApiVersions after them was not.
                    throw new AssertionError(failure("connection closed after answering every frame of a round, "
                            + "before the ApiVersions request that followed; the round's last frame", frames.get(expected - 1)));
                }
                stats.closedByBroker.increment();
                return expected + 1;
            }
            int correlationId = response.getInt(0);
            if (correlationId == SENTINEL_ID && !endsStream) {
                skipped(frames, expected, frames.size());
                return frames.size();
            }
            int at = (int) (correlationId - start);
            if (endsStream && expected == frames.size()) {
                // The bytes after a short size prefix, read as further requests: answers to those are fine too.
                continue;
            }
            if (at < expected || at >= frames.size()) {
                throw new AssertionError(failure("answer with correlation id " + correlationId
                        + " is not one of the requests awaiting an answer", frames.get(Math.min(expected, frames.size() - 1))));
            }
            skipped(frames, expected, at);
            answered(frames.get(at), correlationId, response);
            expected = at + 1;
        }
    }

    private void write(Socket socket, List<Frame> frames, boolean endsStream) {
        out.reset();
        for (Frame frame : frames) {
            writeInt(frame.sizePrefix());
            out.write(frame.payload(), 0, frame.payload().length);
        }
        if (!endsStream) {
            writeInt(sentinel.length);
            out.write(sentinel, 0, sentinel.length);
        }
        stats.bytes.add(out.size());
        try {
            OutputStream stream = socket.getOutputStream();
            out.writeTo(stream);
            stream.flush();
            if (endsStream) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // The broker closed the connection while the round was being written: the answers already sent say how
            // far it got.
        }
    }

    private void writeInt(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private ByteBuffer readResponse(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 4 || size > MAX_RESPONSE_BYTES) {
            throw new AssertionError("response size " + size + " from the broker");
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    private void answered(Frame frame, int correlationId, ByteBuffer response) {
        stats.answered.increment();
        try {
            FuzzResponses.Answer answer = FuzzResponses.read(frame.apiKey(), frame.apiVersion(), correlationId,
                    response.duplicate(), logTopic, logTopicId);
            if (answer.error()) {
                stats.answeredWithError.increment();
            }
            if (answer.logBaseOffset() >= 0) {
                stats.acknowledgedOffsets.add(answer.logBaseOffset());
            }
        } catch (RuntimeException e) {
            stats.unreadable(e + " reading the answer " + HexFormat.of().formatHex(response.array()) + " to "
                    + frame.describe());
        }
    }

    /**
     * No answer within the read timeout: right only for a request the broker may hold as long as it asks (a long
     * poll, a rebalance); the connection is given up after it. Anything else is a hung broker.
     */
    private int heldOrHung(List<Frame> frames, int expected) {
        Frame oldest = frames.get(Math.min(expected, frames.size() - 1));
        boolean waitsForBytes = oldest.breaksStream();
        if (expected == frames.size() || waitsForBytes || !FuzzResponses.mayWait(oldest.apiKey())) {
            throw new AssertionError(failure("no answer and no close within " + READ_TIMEOUT_MS + " ms", oldest));
        }
        stats.held.increment();
        connectionOpen = false;
        return expected + 1;
    }

    /** Frames the broker passed over without an answer, which only a Produce with acks=0 may be. */
    private void skipped(List<Frame> frames, int from, int to) {
        for (int i = from; i < to; i++) {
            if (frames.get(i).apiKey() != 0) {
                throw new AssertionError(failure("a later request was answered but this one was not", frames.get(i)));
            }
        }
        stats.unanswered.add(to - from);
    }

    private String failure(String what, Frame frame) {
        return what + " (seed " + runSeed + ", worker " + worker + "): " + frame.describe();
    }
}
