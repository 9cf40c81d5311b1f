package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code runnel delete-records}: kafka-delete-records.sh, moving partitions' log start offsets forward. */
@Command(name = "delete-records", mixinStandardHelpOptions = true,
        description = "Delete the records of partitions up to given offsets.")
final class DeleteRecordsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--offset-json-file", required = true, paramLabel = "FILE", description = "The partitions and "
            + "offsets, as {\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":3}],\"version\":1}; "
            + "offset -1 means the high watermark.")
    Path offsetJsonFile;

    @Override
    public Integer call() throws Exception {
        Map<TopicPartition, RecordsToDelete> toDelete = parse(Files.readString(offsetJsonFile));
        Properties props = connection.adminProperties();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(props)) {
            out.println("Executing records delete operation");
            Map<TopicPartition, KafkaFuture<DeletedRecords>> results = admin.deleteRecords(toDelete).lowWatermarks();
            out.println("Records delete operation completed:");
            for (Map.Entry<TopicPartition, KafkaFuture<DeletedRecords>> e : results.entrySet()) {
                try {
                    out.println("partition: " + e.getKey() + "\tlow_watermark: " + e.getValue().get().lowWatermark());
                } catch (ExecutionException failure) {
                    out.println("partition: " + e.getKey() + "\terror: " + failure.getMessage());
                }
            }
        }
        return 0;
    }

    private Map<TopicPartition, RecordsToDelete> parse(String json) {
        Map<TopicPartition, RecordsToDelete> result = new LinkedHashMap<>();
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw usage("The offset json file is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> file) || !(file.get("partitions") instanceof List<?> partitions)) {
            throw usage("The offset json file must hold an object with a \"partitions\" array");
        }
        for (Object entry : partitions) {
            if (!(entry instanceof Map<?, ?> p) || !(p.get("topic") instanceof String topic)
                    || !(p.get("partition") instanceof Long partition) || !(p.get("offset") instanceof Long offset)) {
                throw usage("Each partition of the offset json file needs \"topic\", \"partition\" and \"offset\": " + entry);
            }
            TopicPartition tp = new TopicPartition(topic, partition.intValue());
            if (result.put(tp, RecordsToDelete.beforeOffset(offset)) != null) {
                throw usage("Offset json file contains duplicate topic partitions: " + tp);
            }
        }
        return result;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
