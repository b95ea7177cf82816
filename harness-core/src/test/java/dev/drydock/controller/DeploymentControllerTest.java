package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.kube.Json;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

    @Test
    void percentagesResolveAsKubesFenceposts() {
        // kube: maxSurge rounds up, maxUnavailable rounds down (10 replicas, 25% -> surge 3, unavailable 2)
        assertThat(DeploymentController.intOrPercent(TextNode.valueOf("25%"), 10, true)).isEqualTo(3);
        assertThat(DeploymentController.intOrPercent(TextNode.valueOf("25%"), 10, false)).isEqualTo(2);
        assertThat(DeploymentController.intOrPercent(IntNode.valueOf(4), 10, false)).isEqualTo(4);
        assertThat(DeploymentController.intOrPercent(TextNode.valueOf("0%"), 3, true)).isZero();
    }

    @Test
    void theTemplateHashIsStableAndIgnoresFieldOrder() {
        ObjectNode a = Json.object();
        Json.with(a, "metadata", "labels").put("app", "web");
        Json.with(a, "spec").put("restartPolicy", "Always").put("dnsPolicy", "ClusterFirst");
        ObjectNode b = Json.object();
        Json.with(b, "spec").put("dnsPolicy", "ClusterFirst").put("restartPolicy", "Always");
        Json.with(b, "metadata", "labels").put("app", "web");

        String hash = DeploymentController.templateHash(a, 0);

        assertThat(hash).isEqualTo(DeploymentController.templateHash(b, 0)).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(DeploymentController.templateHash(a, 1)).isNotEqualTo(hash);
        Json.with(a, "spec").put("restartPolicy", "Never");
        assertThat(DeploymentController.templateHash(a, 0)).isNotEqualTo(hash);
    }

    @Test
    void aReplicaSetTemplateMatchesIgnoringItsHashLabel() {
        ObjectNode deployment = Json.object();
        Json.with(deployment, "metadata", "labels").put("app", "web");
        Json.with(deployment, "spec").put("restartPolicy", "Always");
        ObjectNode rs = deployment.deepCopy();
        Json.with(rs, "metadata", "labels").put("pod-template-hash", "abc");

        assertThat(DeploymentController.sameTemplate(rs, deployment)).isTrue();
        Json.with(rs, "spec").put("restartPolicy", "Never");
        assertThat(DeploymentController.sameTemplate(rs, deployment)).isFalse();
    }
}
