package io.runnel.broker.protocol;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import java.security.GeneralSecurityException;

/**
 * SCRAM credentials as the metadata log keeps them, in Kafka's string form
 * ({@code salt=<base64>,stored_key=<base64>,server_key=<base64>,iterations=<n>}), made and read by kafka-clients' own
 * SCRAM code: the stored and server keys derive from a salted password as RFC 5802 says.
 */
public final class ScramCredentials {
    private ScramCredentials() {
    }

    /** The fewest iterations the mechanism accepts (4096, RFC 7677). */
    public static int minIterations(String mechanism) {
        return ScramMechanism.forMechanismName(mechanism).minIterations();
    }

    /** The credential of a client-salted password (AlterUserScramCredentials sends the salt and salted password). */
    public static String fromSaltedPassword(String mechanism, byte[] salt, byte[] saltedPassword, int iterations) {
        try {
            ScramFormatter formatter = new ScramFormatter(ScramMechanism.forMechanismName(mechanism));
            return ScramCredentialUtils.credentialToString(new ScramCredential(salt,
                    formatter.storedKey(formatter.clientKey(saltedPassword)), formatter.serverKey(saltedPassword),
                    iterations));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks " + mechanism + "'s algorithms", e);
        }
    }

    /** The credential of a password, with a random salt (what {@code storage format --add-scram} writes). */
    public static String fromPassword(String mechanism, String password, int iterations) {
        try {
            ScramFormatter formatter = new ScramFormatter(ScramMechanism.forMechanismName(mechanism));
            return ScramCredentialUtils.credentialToString(formatter.generateCredential(password, iterations));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks " + mechanism + "'s algorithms", e);
        }
    }

    static ScramCredential parse(String credential) {
        return ScramCredentialUtils.credentialFromString(credential);
    }

    public static int iterations(String credential) {
        return parse(credential).iterations();
    }
}
