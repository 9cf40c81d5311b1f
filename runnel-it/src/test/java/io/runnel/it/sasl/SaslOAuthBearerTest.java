package io.runnel.it.sasl;

import com.sun.net.httpserver.HttpServer;
import io.runnel.it.RunnelCluster;
import io.runnel.it.compat.SecuredClients;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OAUTHBEARER on two SASL_PLAINTEXT listeners, with kafka-clients' login module: on DEV, Kafka's default validator
 * takes unsecured JWTs (development only); on SECURE, tokens are checked against the JWKS a test identity provider
 * serves over HTTP ({@code sasl.oauthbearer.jwks.endpoint.url}) with the expected audience and issuer: a token it
 * signed logs in, one signed by another key (same key id), an expired one, one for another audience and an
 * unsecured one are refused; kcat (librdkafka's unsecured JWT) and KafkaJS (a signed token, an expired one refused)
 * log in too. The token's subject is the principal: a DENY ACL for one subject stops its writes only.
 * OAUTHBEARER validation is each broker's own, so one node shows it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SaslOAuthBearerTest {
    private static final String ISSUER = "https://issuer.runnel.test";
    private static final String AUDIENCE = "runnel";
    private static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    private static HttpServer identityProvider;
    private static RsaJsonWebKey signing;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        signing = key("k1");
        String jwks = new JsonWebKeySet(signing).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks", exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        identityProvider.start();
        String jwksUrl = "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/jwks";
        // Kafka 4's brokers reach only the identity-provider URLs this JVM property allows.
        System.setProperty(ALLOWED_URLS, jwksUrl);
        cluster = RunnelCluster.builder()
                .listener("DEV", "SASL_PLAINTEXT")
                .listener("SECURE", "SASL_PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "OAUTHBEARER")
                .brokerProperty("listener.name.secure.oauthbearer.sasl.server.callback.handler.class",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler")
                .brokerProperty("listener.name.secure.oauthbearer.sasl.oauthbearer.jwks.endpoint.url", jwksUrl)
                .brokerProperty("listener.name.secure.oauthbearer.sasl.oauthbearer.expected.audience", AUDIENCE)
                .brokerProperty("listener.name.secure.oauthbearer.sasl.oauthbearer.expected.issuer", ISSUER)
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("allow.everyone.if.no.acl.found", "true")
                .start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (identityProvider != null) {
            identityProvider.stop(0);
        }
        System.clearProperty(ALLOWED_URLS);
    }

    @Test
    void anUnsecuredTokenLogsInOnTheDevelopmentListener() {
        Properties bob = new Properties();
        bob.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        bob.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
        bob.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                + " required unsecuredLoginStringClaim_sub=\"bob\";");
        SaslClients.roundTrip(cluster, "oauth-dev", "DEV", bob, bob, 100);
        assertTrue(SaslClients.refused(cluster.bootstrapServers("SECURE"), bob), "unsecured tokens on SECURE");
    }

    @Test
    void aTokenSignedByTheIdentityProviderLogsInAndOthersAreRefused() throws Exception {
        Properties alice = token(sign(signing, "alice", AUDIENCE, 10), "alice");
        SaslClients.roundTrip(cluster, "oauth-secure", "SECURE", alice, alice, 100);

        String secure = cluster.bootstrapServers("SECURE");
        assertTrue(SaslClients.refused(secure, token(sign(key("k1"), "alice", AUDIENCE, 10), "alice")),
                "signed by another key with the same id");
        assertTrue(SaslClients.refused(secure, token(sign(signing, "alice", AUDIENCE, -10), "alice")), "expired");
        assertTrue(SaslClients.refused(secure, token(sign(signing, "alice", "another-service", 10), "alice")),
                "for another audience");
        assertFalse(SaslClients.refused(secure, alice));
    }

    @Test
    void kcatLogsInWithAnUnsecuredToken() throws Exception {
        cluster.createTopic("oauth-kcat", 1);
        SecuredClients.kcatRoundTrip(cluster.bootstrapServers("DEV"), List.of("security.protocol=sasl_plaintext",
                "sasl.mechanisms=OAUTHBEARER", "enable.sasl.oauthbearer.unsecure.jwt=true",
                "sasl.oauthbearer.config=principal=carol"), "oauth-kcat", 20);
    }

    @Test
    void kafkaJsLogsInWithASignedTokenAndIsRefusedAnExpiredOne() throws Exception {
        cluster.createTopic("oauth-kafkajs", 2);
        String secure = cluster.bootstrapServers("SECURE");
        assertEquals(List.of("acknowledged 20", "consumed 20", "same"), SecuredClients.kafkaJs(secure,
                kafkaJsToken(sign(signing, "dave", AUDIENCE, 10)), "oauth-kafkajs", 20));
        List<String> expired = SecuredClients.kafkaJs(secure, kafkaJsToken(sign(signing, "dave", AUDIENCE, -10)),
                "unused", 0);
        // KafkaJS takes the broker's error challenge ({"status":"invalid_token"}) for success and sends its next
        // request, which the broker, still expecting SaslAuthenticate, answers by closing: Kafka's broker does the same.
        assertEquals(1, expired.size(), expired.toString());
        assertTrue(expired.get(0).startsWith("refused: "), expired.toString());
    }

    private static String kafkaJsToken(String jwt) {
        return "{\"sasl\": {\"mechanism\": \"oauthbearer\", \"token\": \"" + jwt + "\"}}";
    }

    @Test
    void theTokensSubjectIsThePrincipalTheAuthorizerChecks() throws Exception {
        String topic = "oauth-acl";
        cluster.createTopic(topic, 1);
        try (Admin admin = cluster.admin()) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
            admin.createAcls(List.of(
                    new AclBinding(pattern, new AccessControlEntry("User:*", "*", AclOperation.WRITE,
                            AclPermissionType.ALLOW)),
                    new AclBinding(pattern, new AccessControlEntry("User:mallory", "*", AclOperation.WRITE,
                            AclPermissionType.DENY)))).all().get();
        }
        produce(topic, token(sign(signing, "alice", AUDIENCE, 10), "alice"));
        ExecutionException denied = assertThrows(ExecutionException.class,
                () -> produce(topic, token(sign(signing, "mallory", AUDIENCE, 10), "mallory")));
        assertInstanceOf(TopicAuthorizationException.class, denied.getCause());
    }

    private static void produce(String topic, Properties login) throws Exception {
        Properties props = SaslClients.withBootstrap(cluster, "SECURE", login);
        props.put("max.block.ms", "30000");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            producer.send(new ProducerRecord<>(topic, "v".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** A client presenting {@code jwt} through kafka-clients' OAUTHBEARER login module. */
    private static Properties token(String jwt, String principal) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, StaticTokenLogin.jaasConfig(jwt, principal));
        props.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, StaticTokenLogin.class.getName());
        return props;
    }

    private static RsaJsonWebKey key(String keyId) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(keyId);
        return key;
    }

    /** A JWT for {@code subject}, signed with {@code key}, expiring {@code minutes} from now (negative: expired). */
    private static String sign(RsaJsonWebKey key, String subject, String audience, int minutes) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setIssuedAt(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 3600));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + minutes * 60L));
        claims.setClaim("scope", "kafka");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
