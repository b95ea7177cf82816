package dev.drydock.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unknown fields found as kube-apiserver's strict field validation finds them. */
class UnknownFieldsTest {

    private static final ServedKind DEPLOYMENT = ServedKind.builtIn("apps", "v1", "Deployment", "deployments", true,
            Set.of("status", "scale"));

    private static JsonNode json(String s) {
        return Json.parseTrusted(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final String DEPLOYMENT_JSON = """
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "web", "labels": {"any-key": "x"}, "annotations": {"a": "b"}},
             "spec": {%s"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                      "strategy": {"rollingUpdate": {"maxSurge": "25%%", "maxUnavailable": 1}},
                      "template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "web", "image": "busybox",
                                             "resources": {"limits": {"cpu": "1"}}, %s
                                             "env": [{"name": "A", "value": "1"}]}]}}},
             "status": {"replicas": 0}}
            """;

    @Test
    void aValidDeploymentHasNone() {
        assertThat(UnknownFields.of(DEPLOYMENT, json(DEPLOYMENT_JSON.formatted("", "")))).isEmpty();
    }

    @Test
    void unknownFieldsAreNamedByTheirPathInOrder() {
        JsonNode typo = json(DEPLOYMENT_JSON.formatted("\"replicass\": 3, ", "\"imagee\": \"x\", "));

        assertThat(UnknownFields.of(DEPLOYMENT, typo))
                .containsExactly("spec.replicass", "spec.template.spec.containers[0].imagee");
        assertThat(UnknownFields.strictDecodingError(DEPLOYMENT, UnknownFields.of(DEPLOYMENT, typo)))
                .isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
                        + "unknown field \"spec.replicass\", unknown field "
                        + "\"spec.template.spec.containers[0].imagee\"");
        assertThat(UnknownFields.of(DEPLOYMENT, json("{\"metadata\": {\"labelz\": {}}}")))
                .containsExactly("metadata.labelz");
    }

    @Test
    void aCustomResourceIsJudgedByItsSchemaExceptWhereItKeepsUnknownFields() {
        ServedKind cronTab = ServedKind.custom("stable.example.com", "v1", "CronTab", "CronTabList", "crontabs", true,
                Set.of(), json("""
                        {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                          "cronSpec": {"type": "string"},
                          "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}
                        """));

        assertThat(UnknownFields.of(cronTab, json("""
                {"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "c"},
                 "spec": {"cronSpec": "* * * * */5", "extra": {"anything": {"goes": 1}}, "cronSpecc": "x"},
                 "oops": 1}
                """))).containsExactly("spec.cronSpecc", "oops");
    }
}
