package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A partition between nodes is a real one on Docker: pods across it cannot talk until it heals. */
class DockerPartitionTest extends DockerTestSupport {




    @Test
    void podsOnOneNodeCannotReachAPodOnAnotherWhilePartitionedAndCanAfterHealing() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(3))) {
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", pod("server", "node-2",
                    "mkdir -p /www && echo pong > /www/index.html && httpd -f -p 8080 -h /www"));
            client.create(Resource.PODS, "default", pod("client", "node-1", "sleep 3600"));
            client.create(Resource.PODS, "default", pod("neighbour", "node-3", "sleep 3600"));
            eventually().until(() -> List.of("server", "client", "neighbour").stream()
                    .allMatch(p -> "Running".equals(client.get(Resource.PODS, "default", p).path("status")
                            .path("phase").asText())));
            String server = "http://" + client.get(Resource.PODS, "default", "server").path("status")
                    .path("podIP").asText() + ":8080/";
            eventually().untilAsserted(() -> assertThat(fetch(cluster, "client", server)).isEqualTo("pong"));

            cluster.partition(List.of("node-1"), List.of("node-2"));

            eventually().until(() -> !fetch(cluster, "client", server).equals("pong"));
            assertThat(fetch(cluster, "neighbour", server)).isEqualTo("pong"); // node-3 is on neither side

            // a pod that starts behind the cut is cut off too
            client.create(Resource.PODS, "default", pod("late", "node-2",
                    "mkdir -p /www && echo late > /www/index.html && httpd -f -p 8080 -h /www"));
            eventually().until(() -> "Running".equals(client.get(Resource.PODS, "default", "late").path("status")
                    .path("phase").asText()));
            String late = "http://" + client.get(Resource.PODS, "default", "late").path("status")
                    .path("podIP").asText() + ":8080/";
            eventually().until(() -> fetch(cluster, "neighbour", late).equals("late"));
            assertThat(fetch(cluster, "client", late)).isEmpty();

            cluster.heal();

            eventually().until(() -> fetch(cluster, "client", server).equals("pong"));
            eventually().until(() -> fetch(cluster, "client", late).equals("late"));
        }
    }

    /** What {@code wget} in the pod's container prints for {@code url}, giving up after 2 s. */
    private static String fetch(DrydockCluster cluster, String pod, String url) throws Exception {
        String id = cluster.client().get(Resource.PODS, "default", pod).path("status").path("containerStatuses")
                .get(0).path("containerID").asText();
        String container = id.substring(id.indexOf("://") + 3);
        String exec = docker.execCreateCmd(container).withAttachStdout(true).withAttachStderr(true)
                // timeout rather than wget -T, which segfaults in Debian's static busybox 1.35
                .withCmd("sh", "-c", "timeout 2 wget -q -O - " + url).exec().getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        }).awaitCompletion(10, TimeUnit.SECONDS);
        synchronized (out) {
            return out.toString().trim();
        }
    }

    private static ObjectNode pod(String name, String node, String script) {
        ObjectNode p = pod(name, script);
        ((ObjectNode) p.path("spec")).put("nodeName", node);
        return p;
    }

}
