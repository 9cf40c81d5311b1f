package io.runnel.it.acls;

import io.runnel.it.RunnelCluster;
import io.runnel.it.sasl.SaslClients;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL tests' cluster: a SASL_PLAINTEXT listener with the PLAIN users admin (a super user), alice, bob and carol, the
 * authorizer on, and the PLAINTEXT inter-broker listener's principal User:ANONYMOUS a super user, as Kafka requires
 * of the brokers' own principal.
 */
public final class AclUsers {
    public static final String LISTENER = "SASL_PLAINTEXT";
    public static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\" "
            + "user_bob=\"bob-secret\" user_carol=\"carol-secret\";";

    private AclUsers() {
    }

    public static RunnelCluster.Builder cluster(boolean allowEveryoneIfNoAclFound) {
        return RunnelCluster.builder()
                .listener(LISTENER, "SASL_PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS)
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("super.users", "User:admin;User:ANONYMOUS")
                .brokerProperty("allow.everyone.if.no.acl.found", Boolean.toString(allowEveryoneIfNoAclFound));
    }

    /** Client settings that log in as {@code user} (whose password is {@code <user>-secret}) on the cluster. */
    public static Properties as(RunnelCluster cluster, String user) {
        return SaslClients.withBootstrap(cluster, LISTENER,
                SaslClients.login("SASL_PLAINTEXT", "PLAIN", user, user + "-secret"));
    }

    public static Admin admin(RunnelCluster cluster, String user) {
        return Admin.create(as(cluster, user));
    }

    public static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return acl(user, type, name, pattern, operation, AclPermissionType.ALLOW);
    }

    public static AclBinding acl(String user, ResourceType type, String name, PatternType pattern, AclOperation operation,
                          AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, permission));
    }

    /** Creates the ACLs as the super user admin. */
    public static void create(RunnelCluster cluster, AclBinding... acls) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(cluster, "admin")) {
            admin.createAcls(List.of(acls)).all().get();
        }
    }
}
