package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.ApiFault;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster's report: its header, state, recent API errors and timeline, as text and as an HTML timeline. */
class ClusterReportTest {

    @Test
    void theReportHasTheHeaderStateApiErrorsAndTimelineAndReadsPastFaults(@TempDir Path dir) throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("report").apiServerOnly()
                .seed(42))) {
            ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
            Json.with(pod, "metadata").put("name", "lone");
            Json.withArray(Json.with(pod, "spec"), "containers").addObject().put("name", "app").put("image", "x");
            cluster.client().create(Resource.PODS, "default", pod);
            // Every client's requests fail, the test's own included: the report still reads the state.
            try (ApiFault f = cluster.apiFaults().all().fail(503)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.client().items(Resource.PODS,
                        "default", null)).isInstanceOf(ApiException.class);

                ClusterReport.Written files = ClusterReport.of(cluster, "ReportTest#fails",
                        List.of("seed 42", "rerun: mvn test -Dtest='ReportTest#fails' -Ddrydock.seed=42"))
                        .write(dir.resolve("reports"), "ReportTest.fails");

                assertThat(files.text()).hasFileName("ReportTest.fails.txt");
                String text = Files.readString(files.text());
                assertThat(text).startsWith("ReportTest#fails\nseed 42\nrerun: mvn test")
                        .contains("pods:\n  default/lone  Pending  node=null\n")
                        .contains("recent API errors (")
                        .containsPattern("test  list /api/v1/namespaces/default/pods  503 ServiceUnavailable")
                        .contains("fault  all clients  API fault: fail 503");
                assertThat(Files.readString(files.html())).contains("<title>ReportTest#fails</title>")
                        .contains("all clients");
            }
        }
    }
}
