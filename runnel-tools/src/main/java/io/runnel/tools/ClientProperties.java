package io.runnel.tools;

import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** Client settings the way the Kafka tools take them: a properties file, then key=value flags on top. */
final class ClientProperties {
    private ClientProperties() {
    }

    static Properties load(Path file, List<String> keyValues, String option, CommandSpec spec) throws IOException {
        Properties props = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
        }
        props.putAll(parse(keyValues, option, spec));
        return props;
    }

    /** The value given to an option or to its deprecated older name, refusing both at once. */
    static <T> T renamed(T current, String currentOption, T deprecated, String deprecatedOption, CommandSpec spec) {
        if (current != null && deprecated != null) {
            throw new ParameterException(spec.commandLine(),
                    "Options " + deprecatedOption + " and " + currentOption + " are mutually exclusive.");
        }
        return current != null ? current : deprecated;
    }

    static Properties parse(List<String> keyValues, String option, CommandSpec spec) {
        Properties props = new Properties();
        for (String keyValue : keyValues) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid " + option + " '" + keyValue + "': expected key=value");
            }
            props.setProperty(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1));
        }
        return props;
    }
}
