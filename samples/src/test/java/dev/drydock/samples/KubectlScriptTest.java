package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's script does with kubectl 1.32 against a real cluster, step by step against drydock, each step checked
 * by its exit code and output: {@code apply -f} of a multi-document manifest with validation on, {@code get},
 * {@code describe}, {@code explain}, {@code diff}, {@code wait --for=condition=Available}, {@code get all}, custom
 * resources with their printer columns, {@code create configmap/secret/service} (protobuf bodies) and
 * {@code delete}.
 */
@Cluster(nodes = 2)
class KubectlScriptTest {

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: shop
            data:
              greeting: hello
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels: {app: web}
            spec:
              replicas: %d
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: busybox
                    command: ["sleep", "3600"]
                    ports:
                    - containerPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
            spec:
              selector: {app: web}
              ports:
              - port: 80
                targetPort: 8080
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
              versions:
              - name: v1
                served: true
                storage: true
                additionalPrinterColumns:
                - {name: Size, type: string, jsonPath: .spec.size}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: string, description: How big the widget is.}
                          replicas: {type: integer}
            """;

    private static final String WIDGET = """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w1
              namespace: shop
            spec:
              size: big
              replicas: 3
            """;

    @Test
    void aScriptRunsAsAgainstARealCluster(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("shop.yaml");
        Files.writeString(manifest, MANIFEST.formatted(2));

        Kubectl.Result apply = kubectl.run("apply", "-f", manifest.toString());
        assertThat(apply.exitCode()).as("%s", apply).isZero();
        assertThat(apply.out()).contains("namespace/shop created", "configmap/settings created",
                "deployment.apps/web created", "service/web created",
                "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created");

        Kubectl.Result available = kubectl.run("wait", "-n", "shop", "--for=condition=Available",
                "deployment/web", "--timeout=30s");
        assertThat(available.exitCode()).as("%s", available).isZero();
        assertThat(available.out()).contains("deployment.apps/web condition met");

        Kubectl.Result get = kubectl.run("get", "deployment", "web", "-n", "shop");
        assertThat(get.exitCode()).as("%s", get).isZero();
        assertThat(get.out()).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
                .containsPattern("web\\s+2/2\\s+2\\s+2");

        Kubectl.Result all = kubectl.run("get", "all", "-n", "shop");
        assertThat(all.exitCode()).as("%s", all).isZero();
        assertThat(all.out()).contains("pod/web-", "service/web", "deployment.apps/web", "replicaset.apps/web-")
                .doesNotContain("configmap");

        Kubectl.Result describe = kubectl.run("describe", "deployment", "web", "-n", "shop");
        assertThat(describe.exitCode()).as("%s", describe).isZero();
        assertThat(describe.out()).containsPattern("Name:\\s+web").containsPattern("Namespace:\\s+shop")
                .containsPattern("Replicas:\\s+2 desired \\| 2 updated \\| 2 total \\| 2 available")
                .containsPattern("NewReplicaSet:\\s+web-");

        Kubectl.Result service = kubectl.run("get", "service", "web", "-n", "shop", "-o",
                "jsonpath={.spec.clusterIP} {.spec.ports[0].protocol} {.spec.ports[0].targetPort}");
        assertThat(service.exitCode()).as("%s", service).isZero();
        assertThat(service.out()).matches("10\\.9[6-9]\\.\\d+\\.\\d+ TCP 8080|10\\.1[01]\\d\\.\\d+\\.\\d+ TCP 8080");

        Kubectl.Result explain = kubectl.run("explain", "widgets.spec.size");
        assertThat(explain.exitCode()).as("%s", explain).isZero();
        assertThat(explain.out()).contains("KIND:       Widget").contains("How big the widget is.");

        // diff: nothing when the cluster matches, the change when it does not (a server-side dry run)
        Kubectl.Result same = kubectl.run("diff", "-f", manifest.toString());
        assertThat(same.exitCode()).as("%s", same).isZero();
        Files.writeString(manifest, MANIFEST.formatted(3));
        Kubectl.Result changed = kubectl.run("diff", "-f", manifest.toString());
        assertThat(changed.exitCode()).as("%s", changed).isEqualTo(1);
        assertThat(changed.out()).contains("-  replicas: 2").contains("+  replicas: 3");
        assertThat(kubectl.run("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}").out())
                .as("diff changes nothing").isEqualTo("2");

        Path widget = home.resolve("widget.yaml");
        Files.writeString(widget, WIDGET);
        Kubectl.Result cr = kubectl.run("apply", "-f", widget.toString());
        assertThat(cr.exitCode()).as("%s", cr).isZero();
        assertThat(cr.out()).contains("widget.example.com/w1 created");
        Kubectl.Result widgets = kubectl.run("get", "wd", "-n", "shop");
        assertThat(widgets.exitCode()).as("%s", widgets).isZero();
        assertThat(widgets.out()).containsPattern("NAME\\s+SIZE\\s+REPLICAS").containsPattern("w1\\s+big\\s+3");

        // kubectl create <kind> sends protobuf bodies
        Kubectl.Result configMap = kubectl.run("create", "configmap", "extra", "-n", "shop",
                "--from-literal=colour=blue");
        assertThat(configMap.exitCode()).as("%s", configMap).isZero();
        assertThat(configMap.out()).contains("configmap/extra created");
        Kubectl.Result secret = kubectl.run("create", "secret", "generic", "token", "-n", "shop",
                "--from-literal=password=s3cret");
        assertThat(secret.exitCode()).as("%s", secret).isZero();
        assertThat(kubectl.run("get", "secret", "token", "-n", "shop", "-o", "jsonpath={.data.password}").out())
                .isEqualTo("czNjcmV0");
        Kubectl.Result nodePort = kubectl.run("create", "service", "nodeport", "edge", "-n", "shop",
                "--tcp=80:8080");
        assertThat(nodePort.exitCode()).as("%s", nodePort).isZero();
        assertThat(kubectl.run("get", "service", "edge", "-n", "shop", "-o",
                "jsonpath={.spec.ports[0].nodePort}").out()).matches("3\\d{4}");

        Kubectl.Result delete = kubectl.run("delete", "-f", widget.toString());
        assertThat(delete.exitCode()).as("%s", delete).isZero();
        assertThat(delete.out()).contains("widget.example.com \"w1\" deleted");
        Kubectl.Result deleteAll = kubectl.run("delete", "namespace", "shop", "--timeout=60s");
        assertThat(deleteAll.exitCode()).as("%s", deleteAll).isZero();
        assertThat(deleteAll.out()).contains("namespace \"shop\" deleted");
        assertThat(kubectl.run("get", "namespace", "shop").exitCode()).isNotZero();
    }
}
