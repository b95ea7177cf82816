package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.ApiErrors;
import dev.drydock.base.Clock;
import dev.drydock.chaos.ApiFault;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API server's recent error responses: whose request, which verb and path, and the Status it got. */
class RecentApiErrorsTest {

    @Test
    void errorResponsesAreKeptWithTheirPartyVerbPathCodeAndReason() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("errors").apiServerOnly())) {
            assertThatThrownBy(() -> cluster.client().get(Resource.DEPLOYMENTS, "default", "missing"))
                    .isInstanceOf(ApiException.class);
            ClientIdentity operator = cluster.identity("operator");
            try (ApiFault f = cluster.apiFaults().forIdentity("operator").verbs("list").resources("pods").fail(500)) {
                assertThatThrownBy(() -> operator.client().items(Resource.PODS, "default", null))
                        .isInstanceOf(ApiException.class);
            }

            assertThat(cluster.recentApiErrors()).extracting(e -> e.party() + " " + e.verb() + " " + e.path() + " "
                    + e.code() + " " + e.reason()).containsSubsequence(
                    "test get /apis/apps/v1/namespaces/default/deployments/missing 404 NotFound",
                    "client:operator list /api/v1/namespaces/default/pods 500 InternalError");
            assertThat(cluster.recentApiErrors()).last().satisfies(e ->
                    assertThat(e.message()).contains("fault injected by drydock"));
        }
    }

    @Test
    void theRingKeepsTheNewestAndCountsAll() {
        ApiErrors errors = new ApiErrors(Clock.SYSTEM, 2);
        for (int i = 0; i < 5; i++) {
            errors.record("test", new ApiRequest(ApiRequest.Verb.DELETE_COLLECTION, Resource.PODS, "ns" + i, null,
                    null, Map.of(), null, null), 409, Json.object().put("reason", "Conflict"));
        }
        errors.record("test", new ApiRequest(ApiRequest.Verb.GET, Resource.NODES, null, "n", "status", Map.of(),
                null, null), 200, null); // not an error

        assertThat(errors.total()).isEqualTo(5);
        assertThat(errors.recent()).extracting(e -> e.verb() + " " + e.path()).containsExactly(
                "deletecollection /api/v1/namespaces/ns3/pods", "deletecollection /api/v1/namespaces/ns4/pods");
        assertThatThrownBy(() -> new ApiErrors(Clock.SYSTEM, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keeps at least one error, got capacity 0");
    }
}
