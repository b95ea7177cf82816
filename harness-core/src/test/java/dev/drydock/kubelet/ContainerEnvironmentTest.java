package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.runtime.RuntimeError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube's {@code $(VAR)} expansion rules, and the downward API's fields and resource fields, on a pod alone. */
class ContainerEnvironmentTest {

    private static final Map<String, String> VARS = Map.of("A", "1", "EMPTY", "");

    @Test
    void definedReferencesExpandAndUndefinedOnesStayAsWritten() {
        assertThat(ContainerEnvironment.expand("$(A)-$(EMPTY)-$(B)", VARS)).isEqualTo("1--$(B)");
        assertThat(ContainerEnvironment.expand("no references", VARS)).isEqualTo("no references");
    }

    @Test
    void aDoubledDollarIsAnEscapedOneAndOtherDollarsAreKept() {
        assertThat(ContainerEnvironment.expand("$$(A) $$ $A $", VARS)).isEqualTo("$(A) $ $A $");
        assertThat(ContainerEnvironment.expand("$$$(A)", VARS)).isEqualTo("$1");
    }

    @Test
    void anUnterminatedReferenceIsKeptAndWhatFollowsIsStillRead() {
        assertThat(ContainerEnvironment.expand("$(A$$x", VARS)).isEqualTo("$(A$x");
        assertThat(ContainerEnvironment.expand("x$(", VARS)).isEqualTo("x$(");
    }

    @Test
    void resourceFieldsAreDividedAndRoundedUpAndALimitNotSetIsTheNodesAllocatable() throws Exception {
        ContainerEnvironment env = new ContainerEnvironment(null, new NodeConfig("node-1", Map.of(), "4", "8Gi", 110,
                "10.244.0.0/24", "10.0.0.2"), null, null, null, null, null);
        ObjectNode pod = pod("""
                {"metadata": {"name": "p", "namespace": "ns", "uid": "u-1",
                              "labels": {"b": "2", "a": "say \\"hi\\""}},
                 "spec": {"containers": [{"name": "main", "resources": {"requests": {"cpu": "250m"},
                                                                        "limits": {"memory": "100Mi"}}}],
                          "initContainers": [{"name": "init", "resources": {"limits": {"cpu": "1500m"}}}]}}""");
        ObjectNode main = (ObjectNode) pod.at("/spec/containers/0");

        assertThat(env.resourceField(pod, main, ref("requests.cpu", "1m", null))).isEqualTo("250");
        assertThat(env.resourceField(pod, main, ref("requests.cpu", null, null))).isEqualTo("1"); // 0.25 up
        assertThat(env.resourceField(pod, main, ref("limits.cpu", null, null))).isEqualTo("4"); // the node's
        assertThat(env.resourceField(pod, main, ref("limits.memory", "1Mi", null))).isEqualTo("100");
        assertThat(env.resourceField(pod, main, ref("requests.memory", "1Mi", null))).isEqualTo("100"); // defaulted
        assertThat(env.resourceField(pod, main, ref("limits.memory", "1Gi", null))).isEqualTo("1");
        assertThat(env.resourceField(pod, main, ref("limits.cpu", "1m", "init"))).isEqualTo("1500");
        assertThat(env.field(pod, "metadata.labels", "10.244.0.9")).isEqualTo("a=\"say \\\"hi\\\"\"\nb=\"2\"");
        assertThat(env.field(pod, "status.podIP", "10.244.0.9")).isEqualTo("10.244.0.9");
        assertThat(env.field(pod, "metadata.labels['b']", null)).isEqualTo("2");
        assertThat(env.field(pod, "metadata.annotations['none']", null)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.field(pod, "spec.nope", null))
                .isInstanceOf(RuntimeError.class).hasMessage("unsupported fieldPath: spec.nope");
    }

    private static ObjectNode ref(String resource, String divisor, String container) {
        ObjectNode r = Json.object().put("resource", resource);
        if (divisor != null) {
            r.put("divisor", divisor);
        }
        if (container != null) {
            r.put("containerName", container);
        }
        return r;
    }

    private static ObjectNode pod(String json) throws Exception {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
