package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL APIs on the fixture, which has no authorizer: as Kafka, each answers SECURITY_DISABLED (the ACL matrix
 * with the authorizer on is {@code acls.AclMatrixTest}).
 */
final class AclScenarios {
    private AclScenarios() {
    }

    static final class Describe implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.DESCRIBE_ACLS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            DescribeAclsResponseData response = x.send(new DescribeAclsRequestData()
                    .setResourceTypeFilter(ResourceType.ANY.code()).setPatternTypeFilter(PatternType.ANY.code())
                    .setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code()));
            assertEquals(Errors.SECURITY_DISABLED.code(), response.errorCode(), "error");
            assertEquals(0, response.resources().size(), "resources");
        }
    }

    static final class Create implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.CREATE_ACLS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            CreateAclsResponseData response = x.send(new CreateAclsRequestData().setCreations(List.of(
                    new CreateAclsRequestData.AclCreation().setResourceType(ResourceType.TOPIC.code())
                            .setResourceName("t").setResourcePatternType(PatternType.LITERAL.code())
                            .setPrincipal("User:alice").setHost("*").setOperation(AclOperation.READ.code())
                            .setPermissionType(AclPermissionType.ALLOW.code()))));
            assertEquals(1, response.results().size(), "results");
            assertEquals(Errors.SECURITY_DISABLED.code(), response.results().get(0).errorCode(), "error");
        }
    }

    static final class Delete implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.DELETE_ACLS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            DeleteAclsResponseData response = x.send(new DeleteAclsRequestData().setFilters(List.of(
                    new DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter(ResourceType.ANY.code())
                            .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                            .setPermissionType(AclPermissionType.ANY.code()))));
            assertEquals(1, response.filterResults().size(), "filter results");
            assertEquals(Errors.SECURITY_DISABLED.code(), response.filterResults().get(0).errorCode(), "error");
        }
    }
}
