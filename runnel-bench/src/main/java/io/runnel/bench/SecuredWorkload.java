package io.runnel.bench;

import java.util.List;

/**
 * A workload of the core suite with its clients on a TLS listener (SSL, or SASL_SSL with PLAIN): the brokers get the
 * SECURE listener, the tools its address and the client configuration. Its figures are named as the workload's,
 * followed by the protocol.
 */
record SecuredWorkload(Workload workload, ClientSecurity security) implements Workload {

    @Override
    public String name() {
        return workload.name() + ", " + security.label();
    }

    @Override
    public ClientSecurity security() {
        return security;
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        return workload.run(tools, broker, repetition).stream().map(m -> new Measurement(
                m.workload() + ", " + security.label(), m.broker(), m.repetition(), m.values(), m.loadAverage()))
                .toList();
    }
}
