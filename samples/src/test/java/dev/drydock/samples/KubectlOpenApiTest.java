package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32 reads drydock's OpenAPI as it reads kube-apiserver's: {@code apply -f} validates with validation on (the
 * default), and {@code explain} prints Kubernetes' own field documentation from the v3 documents and from the v2
 * document in protobuf.
 */
@Cluster(nodes = 1)
class KubectlOpenApiTest {

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              %s: %d
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
            """;

    @Test
    void applyWithValidationOnCreatesThenConfigures(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("shop.yaml");
        Files.writeString(manifest, MANIFEST.formatted("replicas", 2));

        Kubectl.Result created = kubectl.run("apply", "-f", manifest.toString());

        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(created.out()).contains("namespace/shop created").contains("deployment.apps/web created");
        assertThat(created.err()).as("%s", created).doesNotContain("validat");

        // The second apply computes a strategic merge patch from the OpenAPI v3 document of apps/v1.
        Files.writeString(manifest, MANIFEST.formatted("replicas", 3));
        Kubectl.Result configured = kubectl.run("apply", "-f", manifest.toString(), "-v=6");
        assertThat(configured.exitCode()).as("%s", configured).isZero();
        assertThat(configured.out()).contains("namespace/shop unchanged").contains("deployment.apps/web configured");
        assertThat(configured.err()).as("%s", configured)
                .containsPattern("GET http://[^ ]+/openapi/v3\\?timeout=\\S+ 200 OK")
                .containsPattern("GET http://[^ ]+/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}\\S* 200 OK")
                .doesNotContain("/openapi/v2");
        assertThat(kubectl.run("get", "deployment", "web", "-n", "shop", "-o", "jsonpath={.spec.replicas}").out())
                .isEqualTo("3");
    }

    @Test
    void applyOfAnUnknownFieldIsRefusedByTheServer(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("typo.yaml");
        Files.writeString(manifest, MANIFEST.formatted("replicass", 2).replace("shop", "typo"));

        Kubectl.Result apply = kubectl.run("apply", "-f", manifest.toString(), "-v=6");

        // As against kube-apiserver: the v3 document says the server validates fields, so kubectl does not, and asks
        // the server to refuse unknown fields.
        assertThat(apply.err()).as("%s", apply)
                .containsPattern("POST http://[^ ]+/apis/apps/v1/namespaces/typo/deployments\\?\\S*"
                        + "fieldValidation=Strict")
                .doesNotContain("/openapi/v2");
        assertThat(apply.exitCode()).as("%s", apply).isNotZero();
        assertThat(apply.err()).contains("Error from server (BadRequest): error when creating \"" + manifest
                + "\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
                + "unknown field \"spec.replicass\"");
        assertThat(kubectl.run("get", "deployment", "-n", "typo", "typo").exitCode()).isNotZero();
    }

    @Test
    void explainPrintsKubernetesFieldDocumentation(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result replicas = kubectl.run("explain", "deployment.spec.replicas");

        assertThat(replicas.exitCode()).as("%s", replicas).isZero();
        assertThat(replicas.out()).contains("GROUP:      apps").contains("KIND:       Deployment")
                .contains("VERSION:    v1").contains("FIELD: replicas <integer>")
                .contains("Number of desired pods. This is a pointer to distinguish between explicit");

        Kubectl.Result pods = kubectl.run("explain", "pods");
        assertThat(pods.exitCode()).as("%s", pods).isZero();
        assertThat(pods.out()).contains("KIND:       Pod").contains("VERSION:    v1")
                .contains("Pod is a collection of containers that can run on a host.")
                .containsPattern("spec\\s+<PodSpec>").containsPattern("metadata\\s+<ObjectMeta>");

        Kubectl.Result containers = kubectl.run("explain", "pods.spec.containers.image");
        assertThat(containers.exitCode()).as("%s", containers).isZero();
        assertThat(containers.out()).contains("FIELD: image <string>").contains("Container image name.");

        // The v2 document, which kubectl reads as protobuf
        Kubectl.Result v2 = kubectl.run("explain", "--output=plaintext-openapiv2", "deployment.spec.replicas");
        assertThat(v2.exitCode()).as("%s", v2).isZero();
        assertThat(v2.out()).contains("KIND:     Deployment").contains("VERSION:  apps/v1")
                .contains("FIELD:    replicas <integer>").contains("Number of desired pods.");

        Kubectl.Result missing = kubectl.run("explain", "pods.spec.nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("field \"nope\" does not exist");
    }
}
