package io.runnel.tools;

import ch.qos.logback.classic.Level;
import io.runnel.connect.ConnectDistributedCommand;
import io.runnel.connect.ConnectStandaloneCommand;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The {@code runnel} command line: the server and the tools, each with the flags of the matching kafka-*.sh. */
@Command(name = "runnel", mixinStandardHelpOptions = true, version = "Runnel 0.1.0",
        description = "An event streaming platform that speaks the Kafka protocol.",
        subcommands = {ServerCommand.class, StorageCommand.class, TopicsCommand.class,
                ConsoleProducerCommand.class, ConsoleConsumerCommand.class,
                ConfigsCommand.class, ClientQuotasCommand.class, AclsCommand.class, GetOffsetsCommand.class, DeleteRecordsCommand.class,
                LeaderElectionCommand.class, ReassignPartitionsCommand.class,
                ConsumerGroupsCommand.class, TransactionsCommand.class, MetadataQuorumCommand.class, ClusterCommand.class,
                DumpLogCommand.class, FeaturesCommand.class, LogDirsCommand.class,
                VerifiableProducerCommand.class, VerifiableConsumerCommand.class,
                ProducerPerfTestCommand.class, ConsumerPerfTestCommand.class, BrokerApiVersionsCommand.class, JmxCommand.class,
                SchemaRegistryCommand.class, RestProxyCommand.class, ConsoleCommand.class,
                ConnectStandaloneCommand.class, ConnectDistributedCommand.class,
                CommandLine.HelpCommand.class})
public final class Runnel implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the tool to run: one of " + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        if (args.length == 0 || !(args[0].equals("server") || args[0].equals("schema-registry")
                || args[0].equals("rest-proxy") || args[0].equals("console")
                || args[0].equals("connect-standalone") || args[0].equals("connect-distributed"))) {
            quietLogging();
        }
        // Exit explicitly: client and quorum libraries leave non-daemon threads behind.
        if (args.length > 0 && args[0].equals("server")) {
            System.exit(serverCommandLine().execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; errors go to stderr with exit code 1 and no stack trace. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Runnel()));
    }

    /**
     * {@code runnel server} alone: building every tool's command line (picocli reflects over a few hundred options)
     * would add half a second of CPU to each server start.
     */
    static CommandLine serverCommandLine() {
        CommandLine cli = configure(new CommandLine(new ServerCommand()));
        cli.setCommandName("runnel server");
        return cli;
    }

    private static CommandLine configure(CommandLine cli) {
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println(ex.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 1;
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            failed.getErr().println("Error: " + message(ex));
            return 1;
        });
        return cli;
    }

    /** The useful message of a failure, looking through the wrappers of futures. */
    static String message(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchFileException) {
            return "No such file: " + cause.getMessage();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    // The tools other than the server print their results on stdout: only warnings and errors may be logged.
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("io.runnel").setLevel(Level.WARN);
        }
    }
}
