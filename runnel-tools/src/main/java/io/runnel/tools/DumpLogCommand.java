package io.runnel.tools;

import io.runnel.storage.IndexFileDump;
import io.runnel.storage.record.LogFileDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code runnel dump-log}: kafka-dump-log.sh, printing segment files (.log, .index, .timeindex) as Kafka's tool does. */
@Command(name = "dump-log", mixinStandardHelpOptions = true,
        description = "Print the batches and records of log segment files, or the entries of their indexes.")
final class DumpLogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--files", required = true, split = ",", paramLabel = "FILE",
            description = "Comma-separated .log, .index and .timeindex files to dump.")
    List<Path> files;

    @Option(names = "--print-data-log", description = "Print the keys and values of the records (implies --deep-iteration).")
    boolean printDataLog;

    @Option(names = "--deep-iteration", description = "Print every record, not only the batches.")
    boolean deepIteration;

    @Option(names = "--offsets-decoder",
            description = "Decode the records of __consumer_offsets segments as JSON (implies --print-data-log).")
    boolean offsetsDecoder;

    @Option(names = "--index-sanity-check", description = "Only check that index files are sane.")
    boolean indexSanityCheck;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        boolean printData = printDataLog || offsetsDecoder;
        boolean deep = deepIteration || printData;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".log")) {
                dumpLog(out, file, deep, printData, offsetsDecoder);
            } else if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                dumpIndex(out, file);
            } else {
                throw new ParameterException(spec.commandLine(), "Unsupported file " + file
                        + ": expected a .log, .index or .timeindex file");
            }
        }
        out.flush();
        return 0;
    }

    private static void dumpLog(PrintWriter out, Path file, boolean deep, boolean printData, boolean offsetsDecoder)
            throws IOException {
        out.println("Dumping " + file);
        out.println("Log starting offset: " + baseOffset(file));
        long invalid = LogFileDump.dump(file, deep, batch -> {
            out.println("baseOffset: " + batch.baseOffset() + " lastOffset: " + batch.lastOffset()
                    + " count: " + batch.count() + " baseSequence: " + batch.baseSequence()
                    + " lastSequence: " + batch.lastSequence() + " producerId: " + batch.producerId()
                    + " producerEpoch: " + batch.producerEpoch()
                    + " partitionLeaderEpoch: " + batch.partitionLeaderEpoch()
                    + " isTransactional: " + batch.transactional() + " isControl: " + batch.control()
                    + " deleteHorizonMs: " + batch.deleteHorizonMs() + " position: " + batch.position()
                    + " " + batch.timestampType() + ": " + batch.maxTimestamp() + " size: " + batch.sizeInBytes()
                    + " magic: " + batch.magic() + " compresscodec: " + batch.compressionCodec()
                    + " crc: " + batch.crc() + " isvalid: " + batch.valid());
            for (LogFileDump.Entry r : batch.records()) {
                StringBuilder line = new StringBuilder("| offset: ").append(r.offset()).append(' ')
                        .append(batch.timestampType()).append(": ").append(r.timestamp())
                        .append(" keySize: ").append(r.keySize()).append(" valueSize: ").append(r.valueSize())
                        .append(" sequence: ").append(r.sequence()).append(" headerKeys: ").append(r.headerKeys());
                if (offsetsDecoder) {
                    OffsetsRecordDecoder.Decoded decoded = OffsetsRecordDecoder.decode(r.offset(), r.key(), r.value());
                    line.append(" key: ").append(decoded.key());
                    if (decoded.payload() != null) {
                        line.append(" payload: ").append(decoded.payload());
                    }
                } else if (printData) {
                    if (r.key() != null) {
                        line.append(" key: ").append(text(r.key()));
                    }
                    line.append(" payload: ").append(r.value() == null ? "null" : text(r.value()));
                }
                out.println(line);
            }
        });
        if (invalid > 0) {
            out.println("Found " + invalid + " invalid bytes at the end of " + file.getFileName());
        }
    }

    private void dumpIndex(PrintWriter out, Path file) throws IOException {
        out.println("Dumping " + file);
        if (indexSanityCheck) {
            String problem = IndexFileDump.sanityProblem(file);
            out.println(problem == null ? file + " passed sanity check." : file + " failed sanity check: " + problem);
            return;
        }
        boolean time = IndexFileDump.isTimeIndex(file);
        for (IndexFileDump.Entry e : IndexFileDump.entries(file)) {
            out.println(time ? "timestamp: " + e.first() + " offset: " + e.second()
                    : "offset: " + e.first() + " position: " + e.second());
        }
    }

    private static String baseOffset(Path file) {
        String name = file.getFileName().toString();
        String digits = name.substring(0, name.indexOf('.'));
        try {
            return Long.toString(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return "unknown (" + name + " is not named <base offset>.log)";
        }
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
