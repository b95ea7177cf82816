package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32 with the RBAC, networking, scheduling, storage, certificates and review kinds: {@code create role},
 * {@code rolebinding}, {@code clusterrole}, {@code ingress} and {@code priorityclass} (protobuf bodies), their tables,
 * {@code auth can-i} and {@code auth whoami} (create-only reviews), SubjectAccessReviews answered from RBAC, the
 * bootstrap roles and priority classes, and {@code certificate approve}.
 */
@Cluster(nodes = 1)
class KubectlRbacAndPolicyKindsTest {

    @Test
    void rolesAndBindingsMadeByKubectlAnswerSubjectAccessReviews(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result role = kubectl.run("create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
        assertThat(role.exitCode()).as("%s", role).isZero();
        assertThat(role.out()).contains("role.rbac.authorization.k8s.io/pod-reader created");
        Kubectl.Result binding = kubectl.run("create", "rolebinding", "alice-reads", "--role=pod-reader",
                "--user=alice", "--serviceaccount=default:builder");
        assertThat(binding.exitCode()).as("%s", binding).isZero();

        Kubectl.Result bindings = kubectl.run("get", "rolebindings", "-o", "wide");
        assertThat(bindings.exitCode()).as("%s", bindings).isZero();
        assertThat(bindings.out().lines()).first().asString()
                .contains("NAME").contains("ROLE").contains("AGE").contains("USERS").contains("SERVICEACCOUNTS");
        assertThat(bindings.out()).contains("Role/pod-reader").contains("alice").contains("default/builder");
        Kubectl.Result roles = kubectl.run("get", "roles");
        assertThat(roles.out().lines()).first().asString().contains("NAME").contains("CREATED AT");

        assertThat(review(kubectl, home, "alice", "list", "pods")).isEqualTo("true");
        assertThat(review(kubectl, home, "alice", "delete", "pods")).isEqualTo("false");
        assertThat(review(kubectl, home, "bob", "list", "pods")).isEqualTo("false");

        Kubectl.Result change = kubectl.run("patch", "rolebinding", "alice-reads", "--type=merge", "-p",
                "{\"roleRef\":{\"name\":\"other\"}}");
        assertThat(change.exitCode()).isNotZero();
        assertThat(change.err()).as("%s", change).contains("cannot change roleRef");
    }

    /** {@code status.allowed} of a SubjectAccessReview of {@code user}, created with {@code kubectl create -f}. */
    private static String review(Kubectl kubectl, Path home, String user, String verb, String resource)
            throws Exception {
        Path sar = home.resolve("sar-" + user + "-" + verb + ".json");
        Files.writeString(sar, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"spec\":{\"user\":\"" + user + "\",\"resourceAttributes\":{\"namespace\":\"default\","
                + "\"verb\":\"" + verb + "\",\"resource\":\"" + resource + "\"}}}");
        Kubectl.Result r = kubectl.run("create", "--validate=false", "-f", sar.toString(), "-o",
                "jsonpath={.status.allowed}");
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.out().trim();
    }

    @Test
    void theCallerCanDoAnythingAndKubesBootstrapObjectsExist(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result canI = kubectl.run("auth", "can-i", "delete", "nodes");
        assertThat(canI.exitCode()).as("%s", canI).isZero();
        assertThat(canI.out().trim()).isEqualTo("yes");
        Kubectl.Result whoami = kubectl.run("auth", "whoami");
        assertThat(whoami.exitCode()).as("%s", whoami).isZero();
        assertThat(whoami.out()).contains("kubernetes-admin").contains("system:masters");

        Kubectl.Result clusterRoles = kubectl.run("get", "clusterroles", "-o", "name");
        assertThat(clusterRoles.out().lines()).contains("clusterrole.rbac.authorization.k8s.io/cluster-admin",
                "clusterrole.rbac.authorization.k8s.io/admin", "clusterrole.rbac.authorization.k8s.io/edit",
                "clusterrole.rbac.authorization.k8s.io/view");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "clusterrole",
                "view", "-o", "jsonpath={.rules[*].resources}").out()).contains("pods").contains("deployments"));

        Kubectl.Result pcs = kubectl.run("get", "priorityclasses");
        assertThat(pcs.exitCode()).as("%s", pcs).isZero();
        assertThat(pcs.out().lines()).first().asString().contains("VALUE").contains("GLOBAL-DEFAULT");
        assertThat(pcs.out()).contains("system-node-critical").contains("2000001000");
        Kubectl.Result create = kubectl.run("create", "priorityclass", "high", "--value=1000",
                "--description=important");
        assertThat(create.exitCode()).as("%s", create).isZero();
        Kubectl.Result delete = kubectl.run("delete", "pc", "system-cluster-critical");
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.err()).as("%s", delete).contains("Forbidden")
                .contains("this is a system priority class and cannot be deleted");
    }

    @Test
    void ingressesStorageClassesAndCertificateRequestsThroughKubectl(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result ingress = kubectl.run("create", "ingress", "web", "--class=nginx",
                "--rule=web.example.com/=web:80");
        assertThat(ingress.exitCode()).as("%s", ingress).isZero();
        Kubectl.Result ingresses = kubectl.run("get", "ing");
        assertThat(ingresses.out().lines()).first().asString().contains("CLASS").contains("HOSTS")
                .contains("ADDRESS").contains("PORTS");
        assertThat(ingresses.out()).contains("nginx").contains("web.example.com");
        assertThat(kubectl.run("get", "ingress", "web", "-o", "jsonpath={.spec.rules[0].http.paths[0].pathType}")
                .out()).isEqualTo("Exact");

        Path sc = home.resolve("sc.yaml");
        Files.writeString(sc, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard
                  annotations:
                    storageclass.kubernetes.io/is-default-class: "true"
                provisioner: rancher.io/local-path
                """);
        assertThat(kubectl.run("create", "--validate=false", "-f", sc.toString()).exitCode()).isZero();
        Kubectl.Result scs = kubectl.run("get", "sc");
        assertThat(scs.out()).contains("standard (default)").contains("Delete").contains("Immediate");

        Path csr = home.resolve("csr.yaml");
        Files.writeString(csr, """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata:
                  name: alice
                spec:
                  request: %s
                  signerName: example.com/signer
                  usages: [client auth]
                """.formatted(java.util.Base64.getEncoder().encodeToString(CSR.getBytes())));
        Kubectl.Result created = kubectl.run("create", "--validate=false", "-f", csr.toString());
        assertThat(created.exitCode()).as("%s", created).isZero();
        Kubectl.Result approve = kubectl.run("certificate", "approve", "alice");
        assertThat(approve.exitCode()).as("%s", approve).isZero();
        Kubectl.Result csrs = kubectl.run("get", "csr");
        assertThat(csrs.out().lines()).first().asString().contains("SIGNERNAME").contains("REQUESTOR")
                .contains("CONDITION");
        assertThat(csrs.out()).contains("example.com/signer").contains("kubernetes-admin").contains("Approved");
    }

    /** A request made by {@code openssl req -new -newkey rsa:2048 -subj /CN=alice/O=devs}. */
    private static final String CSR = """
            -----BEGIN CERTIFICATE REQUEST-----
            MIICZDCCAUwCAQAwHzEOMAwGA1UEAwwFYWxpY2UxDTALBgNVBAoMBGRldnMwggEi
            MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC1N4yH048ZGcml9627+s4SDJ4B
            zQt8lAXpUam+tP3s+inRlhXp8khzPxeOps2wilV3Tj5m8yl7BZR+MfB7ZK8I1CO+
            n6L2HOD9vRnxl7XFd9knUzKph3zunjQOqZNcgxXV8XmfgKgSj9CDL8d4VP3oW4fK
            aZHvMStLp4JZlUQHfT8xF2u6NQZ8RWKkFCeRjcrNQh7jgKAfGVmdyXEF9FLNSW5C
            76ZpflFIBrWGat8l82UBtDGOD1gmAZfq983jV6m8Ru53CZ6M9XBC5r4WHzAVN4/L
            8Fw6LQo2KrlGnz+UF1/OhFqAnV0UrxaJtYt2CZ9WMYYVFX3SrkniiQf6jcNPAgMB
            AAGgADANBgkqhkiG9w0BAQsFAAOCAQEABXNsjcXdi4jrKkkxGXfYYsg3G9oTEkpz
            8rYEhB2yJeMBaPRI8VVSZkzM4dywWnuVcX0Zr3prZGmKTSiD4kzH1ULlM827OvZr
            12x5+SRX2t3Hu8ipZprNLw5FYC8FcjRg0S7wYn3xX5h/XymMoZijmdE9uSPooQot
            +rybQcJ3Nmeq0Jb2Yk5+0Fvb/hxujZAI4ZbSaGErl1OJjZ/JVCeejUHFq7fq50fs
            f3EYidw1s7L0WKc2P99xXncuH0bY86o63LklWZnMB2w7MzFAOTjIcDikBC8tApzJ
            qTZIqjHQJ4ZaJDDwKv8/KkIVNEGpWWH5dilxkXCgNCZEkTT7wQnKbA==
            -----END CERTIFICATE REQUEST-----
            """;
}
