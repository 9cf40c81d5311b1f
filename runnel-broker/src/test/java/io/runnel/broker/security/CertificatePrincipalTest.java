package io.runnel.broker.security;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A client certificate's distinguished name as Kafka's default principal builder names it. */
class CertificatePrincipalTest {
    private static final X500Principal ALICE = new X500Principal("CN=alice, OU=Apps, O=Runnel, C=FR");

    @Test
    void theDefaultRuleKeepsTheWholeDistinguishedName() {
        assertEquals(new KafkaPrincipal("User", "CN=alice,OU=Apps,O=Runnel,C=FR"), principal("DEFAULT").of(ALICE));
    }

    @Test
    void aRuleMapsTheNameAndCanLowerOrUpperCaseIt() {
        String rules = "RULE:^CN=(.*?),OU=Apps,.*$/$1-app/U,DEFAULT";
        assertEquals(new KafkaPrincipal("User", "ALICE-APP"), principal(rules).of(ALICE));
        assertEquals(new KafkaPrincipal("User", "CN=bob,OU=Ops"),
                principal(rules).of(new X500Principal("CN=bob,OU=Ops")));
    }

    @Test
    void aNameNoRuleMatchesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> principal("RULE:^CN=(.*?),OU=Ops$/$1/").of(ALICE));
        assertEquals("No ssl.principal.mapping.rules rule matches CN=alice,OU=Apps,O=Runnel,C=FR", e.getMessage());
    }

    private static CertificatePrincipal principal(String rules) {
        return new CertificatePrincipal(SslPrincipalMapper.fromRules(rules));
    }
}
