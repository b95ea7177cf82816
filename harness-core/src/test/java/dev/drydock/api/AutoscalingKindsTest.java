package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.AutoscalingKinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HorizontalPodAutoscalers in autoscaling/v2 and, over the same objects, autoscaling/v1. */
class AutoscalingKindsTest extends KindTestSupport {

    static final Resource HPA = AutoscalingKinds.HPA_V2;
    static final Resource HPA_V1 = AutoscalingKinds.HPA_V1;

    static ObjectNode hpa(String name, String extraSpec) {
        return json("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'" + name
                + "'},'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},"
                + "'maxReplicas':5" + extraSpec + "}}");
    }

    @Test
    void anHpaIsDefaultedToOneReplicaAndEightyPercentCpu() {
        ObjectNode created = client.create(HPA, NS, hpa("web", ""));

        JsonNode spec = created.path("spec");
        assertThat(spec.path("minReplicas").asInt()).isEqualTo(1);
        assertThat(spec.path("metrics")).isEqualTo(tree("[{'type':'Resource','resource':{'name':'cpu','target':"
                + "{'type':'Utilization','averageUtilization':80}}}]"));
        assertThat(spec.has("behavior")).as("behavior is defaulted only when given").isFalse();
        assertThat(created.path("status")).isEqualTo(json("{'currentMetrics':null,'desiredReplicas':0}"));
        assertThat(client.get(HPA, NS, "web")).isEqualTo(created);
    }

    @Test
    void aGivenBehaviorIsCompletedWithKubesScalingRules() {
        ObjectNode created = client.create(HPA, NS, hpa("web", ",'behavior':{'scaleDown':"
                + "{'stabilizationWindowSeconds':60}}"));

        JsonNode behavior = created.path("spec").path("behavior");
        assertThat(behavior.path("scaleUp")).isEqualTo(json("{'stabilizationWindowSeconds':0,'selectPolicy':'Max',"
                + "'policies':[{'type':'Pods','value':4,'periodSeconds':15},{'type':'Percent','value':100,"
                + "'periodSeconds':15}]}"));
        assertThat(behavior.path("scaleDown")).isEqualTo(json("{'selectPolicy':'Max','policies':[{'type':'Percent',"
                + "'value':100,'periodSeconds':15}],'stabilizationWindowSeconds':60}"));
    }

    @Test
    void anHpaIsValidatedAsKube() {
        ApiException e = failure(() -> client.create(HPA, NS, json("{'metadata':{'name':'web'},'spec':"
                + "{'scaleTargetRef':{'kind':'Deployment'},'minReplicas':3,'maxReplicas':2}}")));

        assertThat(e.getMessage()).isEqualTo("HorizontalPodAutoscaler.autoscaling \"web\" is invalid: "
                + "[spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`, "
                + "spec.scaleTargetRef.name: Required value]");
        ApiException metric = failure(() -> client.create(HPA, NS, hpa("web", ",'metrics':[{'type':'Pods',"
                + "'resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':0}}}]")));
        assertThat(causeFields(metric)).containsExactly("spec.metrics[0].resource.target.averageUtilization",
                "spec.metrics[0].pods", "spec.metrics[0].resource");
        assertThat(metric.getMessage()).contains("spec.metrics[0].pods: Required value: must populate information "
                + "for the given metric source").contains("spec.metrics[0].resource: Forbidden: must populate the "
                + "given metric source only");
        ApiException policy = failure(() -> client.create(HPA, NS, hpa("web", ",'behavior':{'scaleUp':"
                + "{'policies':[{'type':'Pods','value':0,'periodSeconds':3600}]}}")));
        assertThat(causeFields(policy)).containsExactly("spec.behavior.scaleUp.policies[0].value",
                "spec.behavior.scaleUp.policies[0].periodSeconds");
    }

    @Test
    void anHpaIsListedPatchedWrittenThroughStatusAndDeleted() {
        client.create(HPA, NS, hpa("a", ""));
        client.create(HPA, NS, hpa("b", ""));

        ObjectNode patched = mergePatch(HPA, "a", "{'spec':{'maxReplicas':10}}");
        assertThat(patched.path("spec").path("maxReplicas").asInt()).isEqualTo(10);
        ObjectNode updated = client.modify(HPA, NS, "a", h -> Json.with(h, "spec").put("minReplicas", 2));
        assertThat(updated.path("spec").path("minReplicas").asInt()).isEqualTo(2);
        patchStatus(HPA, "a", "{'status':{'currentReplicas':2,'desiredReplicas':3}}");
        assertThat(client.get(HPA, NS, "a").path("status").path("desiredReplicas").asInt()).isEqualTo(3);
        assertThat(names(list(HPA, NS, Map.of()))).containsExactly("a", "b");

        client.delete(HPA, NS, "b");
        assertThat(names(list(HPA, NS, Map.of()))).containsExactly("a");
    }

    @Test
    void aV2HpaIsReadInV1ThroughItsCpuTargetAndKubesAnnotations() {
        client.create(HPA, NS, hpa("web", ",'metrics':[{'type':'Resource','resource':{'name':'cpu','target':"
                + "{'type':'Utilization','averageUtilization':60}}},{'type':'Pods','pods':{'metric':{'name':'qps'},"
                + "'target':{'type':'AverageValue','averageValue':'10'}}}]"));
        patchStatus(HPA, "web", "{'status':{'currentReplicas':2,'desiredReplicas':2,'currentMetrics':[{'type':"
                + "'Resource','resource':{'name':'cpu','current':{'averageUtilization':40}}}]}}");

        ObjectNode v1 = client.get(HPA_V1, NS, "web");

        assertThat(v1.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(v1.path("spec")).isEqualTo(json("{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'name':'web'},'minReplicas':1,'maxReplicas':5,'targetCPUUtilizationPercentage':60}"));
        assertThat(v1.path("status")).isEqualTo(json("{'currentReplicas':2,'desiredReplicas':2,"
                + "'currentCPUUtilizationPercentage':40}"));
        assertThat(v1.path("metadata").path("annotations").path("autoscaling.alpha.kubernetes.io/metrics").asText())
                .isEqualTo("[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"qps\",\"targetAverageValue\":\"10\"}}]");
    }

    @Test
    void aV1HpaIsStoredAsV2AndItsOtherMetricsSurviveARoundTrip() {
        ObjectNode v1 = json("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':"
                + "'web'},'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},"
                + "'maxReplicas':4,'targetCPUUtilizationPercentage':70}}");

        ObjectNode created = client.create(HPA_V1, NS, v1);

        assertThat(created.path("spec").path("minReplicas").asInt()).isEqualTo(1);
        assertThat(created.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
        assertThat(created.path("status")).isEqualTo(json("{'currentReplicas':0,'desiredReplicas':0}"));
        ObjectNode v2 = client.get(HPA, NS, "web");
        assertThat(v2.path("spec").path("metrics")).isEqualTo(tree("[{'type':'Resource','resource':{'name':'cpu',"
                + "'target':{'type':'Utilization','averageUtilization':70}}}]"));

        mergePatch(HPA, "web", "{'spec':{'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':"
                + "'Utilization','averageUtilization':70}}},{'type':'External','external':{'metric':{'name':"
                + "'queue'},'target':{'type':'Value','value':'30'}}}]}}");
        ObjectNode throughV1 = client.modify(HPA_V1, NS, "web", h -> Json.with(h, "spec").put("maxReplicas", 6));
        assertThat(throughV1.path("spec").path("maxReplicas").asInt()).isEqualTo(6);
        JsonNode metrics = client.get(HPA, NS, "web").path("spec").path("metrics");
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0).path("external")).isEqualTo(json("{'metric':{'name':'queue'},'target':{'type':"
                + "'Value','value':'30'}}"));
    }

    @Test
    void aV1HpaWithoutACpuTargetGetsKubesImplicitEightyPercent() {
        ObjectNode v1 = json("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':"
                + "'web'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':3}}");

        ObjectNode created = client.create(HPA_V1, NS, v1);

        assertThat(created.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(80);
        ApiException e = failure(() -> mergePatch(HPA_V1, "web", "{'spec':{'targetCPUUtilizationPercentage':0}}"));
        assertThat(e.getMessage()).isEqualTo("HorizontalPodAutoscaler.autoscaling \"web\" is invalid: "
                + "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0");
    }

    @Test
    void discoveryPrefersV2AndListsHpasInTheAllCategory() {
        JsonNode v2 = discovered("horizontalpodautoscalers", HPA);
        assertThat(texts(v2.path("shortNames"))).containsExactly("hpa");
        assertThat(texts(v2.path("categories"))).containsExactly("all");
        discovered("horizontalpodautoscalers/status", HPA);
        discovered("horizontalpodautoscalers", HPA_V1);
        ObjectNode group = new Discovery(KindRegistry.builtIn()).group("autoscaling");
        assertThat(group.path("preferredVersion").path("version").asText()).isEqualTo("v2");
        assertThat(group.path("versions").findValuesAsText("version")).containsExactly("v2", "v1");
    }
}
