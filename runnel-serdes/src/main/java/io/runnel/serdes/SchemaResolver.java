package io.runnel.serdes;

/**
 * Which registered schema a serializer writes a value with: under the subject its strategy names, the latest version
 * ({@code use.latest.version}), else the value's own schema, registered ({@code auto.register.schemas}) or looked up.
 */
public final class SchemaResolver {
    private final SerdeConfig config;
    private final SchemaRegistryClient client;
    private final SubjectNameStrategy strategy;

    public SchemaResolver(SerdeConfig config) {
        this(config, new SchemaRegistryClient(config));
    }

    public SchemaResolver(SerdeConfig config, SchemaRegistryClient client) {
        this.config = config;
        this.client = client;
        this.strategy = config.subjectNameStrategy();
    }

    public RegisteredSchema forWriting(String topic, String schemaType, String schema, String recordName) {
        String subject = strategy.subject(topic, config.isKey(), recordName);
        if (config.useLatestVersion()) {
            return client.latest(subject);
        }
        int id = config.autoRegister() ? client.register(subject, schemaType, schema)
                : client.lookup(subject, schemaType, schema);
        return new RegisteredSchema(id, schemaType, schema);
    }

    public RegisteredSchema forReading(int id) {
        return client.byId(id);
    }
}
