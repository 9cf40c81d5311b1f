package io.runnel.it.conformance;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * What a client of one API does at one version against the conformance fixture, and what Kafka would answer: every
 * advertised version of the API runs it.
 */
interface ApiScenario {
    ApiKeys api();

    /** Sends the API's requests at {@link Exchange#version()} and checks the answers. */
    void run(Exchange x) throws Exception;
}
