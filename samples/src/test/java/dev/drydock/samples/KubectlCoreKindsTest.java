package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32 against the core group's kinds: {@code kubectl create configmap/secret/service/serviceaccount/quota/
 * token} (protobuf bodies), the tables of {@code kubectl get}, Services' cluster IPs and node ports with kube's
 * errors, and the kinds created from manifests. Each step is checked by its exit code and output.
 */
@Cluster(nodes = 1)
class KubectlCoreKindsTest {

    @Test
    void createsConfigMapsSecretsServiceAccountsQuotasAndTokens(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        assertOut(kubectl.run("create", "configmap", "app", "--from-literal=mode=fast", "--from-literal=size=2"),
                "configmap/app created");
        assertRow(kubectl.run("get", "configmap", "app"), List.of("NAME", "DATA", "AGE"), "app", "2");

        assertOut(kubectl.run("create", "secret", "generic", "creds", "--from-literal=user=admin"),
                "secret/creds created");
        assertRow(kubectl.run("get", "secret", "creds"), List.of("NAME", "TYPE", "DATA", "AGE"), "creds", "Opaque", "1");
        assertThat(new String(Base64.getDecoder().decode(kubectl.run("get", "secret", "creds", "-o",
                "jsonpath={.data.user}").out()))).isEqualTo("admin");
        assertOut(kubectl.run("create", "secret", "docker-registry", "reg", "--docker-server=registry.example.com",
                "--docker-username=u", "--docker-password=p"), "secret/reg created");
        assertThat(kubectl.run("get", "secret", "reg", "-o", "jsonpath={.type}").out())
                .isEqualTo("kubernetes.io/dockerconfigjson");

        assertOut(kubectl.run("create", "serviceaccount", "builder"), "serviceaccount/builder created");
        assertRow(kubectl.run("get", "sa", "builder"), List.of("NAME", "SECRETS", "AGE"), "builder", "0");
        Kubectl.Result token = kubectl.run("create", "token", "builder");
        assertThat(token.exitCode()).as("%s", token).isZero();
        assertThat(token.out().trim().split("\\.")).hasSize(3);
        String payload = new String(Base64.getUrlDecoder().decode(token.out().trim().split("\\.")[1]));
        assertThat(payload).contains("\"sub\":\"system:serviceaccount:default:builder\"");
        Kubectl.Result tooShort = kubectl.run("create", "token", "builder", "--duration=5m");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).as("%s", tooShort).contains("may not specify a duration less than 10 minutes");

        assertOut(kubectl.run("create", "quota", "q", "--hard=pods=10,requests.cpu=2"), "resourcequota/q created");
        assertRow(kubectl.run("get", "quota", "q"), List.of("NAME", "AGE", "REQUEST", "LIMIT"), "q");
        assertThat(kubectl.run("get", "quota", "q", "-o", "jsonpath={.spec.hard.pods}").out()).isEqualTo("10");

        Kubectl.Result badKey = kubectl.run("create", "configmap", "bad", "--from-literal=a b=c");
        assertThat(badKey.exitCode()).isNotZero();
        assertThat(badKey.err()).as("%s", badKey).contains("a valid config key must consist of alphanumeric "
                + "characters");
        assertThat(kubectl.run("delete", "configmap", "app").out()).contains("configmap \"app\" deleted");
    }

    @Test
    void servicesGetClusterIPsAndNodePortsWithKubesErrors(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        assertRow(kubectl.run("get", "service", "kubernetes"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP",
                "PORT(S)", "AGE"), "kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP");

        assertOut(kubectl.run("create", "service", "clusterip", "web", "--tcp=80:8080"), "service/web created");
        String ip = kubectl.run("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out();
        assertThat(ip).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
        assertRow(kubectl.run("get", "svc", "web"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                "AGE"), "web", "ClusterIP", ip, "<none>", "80/TCP");

        assertOut(kubectl.run("create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"),
                "service/np created");
        assertRow(kubectl.run("get", "svc", "np"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                "AGE"), "np", "NodePort");
        assertThat(kubectl.run("get", "svc", "np", "-o", "jsonpath={.spec.ports[0].nodePort}").out())
                .isEqualTo("30080");
        Kubectl.Result taken = kubectl.run("create", "service", "nodeport", "np2", "--tcp=80:8080",
                "--node-port=30080");
        assertThat(taken.exitCode()).isNotZero();
        assertThat(taken.err()).as("%s", taken).contains("Service \"np2\" is invalid: spec.ports[0].nodePort: "
                + "Invalid value: 30080: provided port is already allocated");

        assertOut(kubectl.run("create", "service", "clusterip", "headless", "--clusterip=None"),
                "service/headless created");
        assertThat(kubectl.run("get", "svc", "headless", "-o", "jsonpath={.spec.clusterIP}").out()).isEqualTo("None");
        assertOut(kubectl.run("create", "service", "loadbalancer", "lb", "--tcp=443:8443"), "service/lb created");
        assertRow(kubectl.run("get", "svc", "lb"), List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                "AGE"), "lb", "LoadBalancer");
        assertThat(kubectl.run("get", "svc", "lb").out()).contains("<pending>");
        assertOut(kubectl.run("create", "service", "externalname", "ext", "--external-name=example.com"),
                "service/ext created");

        Kubectl.Result change = kubectl.run("patch", "svc", "web", "-p", "{\"spec\":{\"clusterIP\":\"10.96.0.99\"}}");
        assertThat(change.exitCode()).isNotZero();
        assertThat(change.err()).as("%s", change).contains("may not change once set");

        assertThat(kubectl.run("get", "svc", "--field-selector=spec.type=NodePort", "-o", "name").out().trim())
                .isEqualTo("service/np");
        assertThat(kubectl.run("delete", "svc", "web", "np").exitCode()).isZero();
        assertOut(kubectl.run("create", "service", "nodeport", "again", "--tcp=80:8080", "--node-port=30080"),
                "service/again created");
    }

    @Test
    void manifestsOfTheOtherCoreKindsAreServedAndPrintedAsKubePrintsThem(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("core.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv1}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  hostPath: {path: /data}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: limits}
                spec:
                  limits: [{type: Container, max: {cpu: "2"}}]
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: ext}
                subsets: [{addresses: [{ip: 10.0.0.7}], ports: [{port: 5432}]}]
                ---
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: legacy}
                spec:
                  template:
                    metadata: {labels: {app: legacy}}
                    spec: {containers: [{name: app, image: busybox}]}
                """);

        Kubectl.Result create = kubectl.run("create", "-f", manifest.toString(), "--validate=false");
        assertThat(create.exitCode()).as("%s", create).isZero();
        assertThat(create.out()).contains("persistentvolume/pv1 created", "persistentvolumeclaim/data created",
                "limitrange/limits created", "endpoints/ext created", "replicationcontroller/legacy created");

        assertRow(kubectl.run("get", "pv", "pv1"), List.of("NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY",
                "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"), "pv1", "1Gi", "RWO",
                "Retain", "Pending");
        assertRow(kubectl.run("get", "pvc", "data"), List.of("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"), "data", "Pending");
        assertRow(kubectl.run("get", "limits", "limits"), List.of("NAME", "CREATED AT"), "limits");
        assertThat(kubectl.run("get", "limits", "limits", "-o", "jsonpath={.spec.limits[0].default.cpu}").out())
                .isEqualTo("2");
        assertRow(kubectl.run("get", "ep", "ext"), List.of("NAME", "ENDPOINTS", "AGE"), "ext", "10.0.0.7:5432");
        assertRow(kubectl.run("get", "rc", "legacy"), List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
                "legacy", "1", "0", "0");
        assertOut(kubectl.run("scale", "rc", "legacy", "--replicas=3"), "replicationcontroller/legacy scaled");
        assertThat(kubectl.run("get", "rc", "legacy", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");

        Kubectl.Result immutable = kubectl.run("patch", "pvc", "data", "-p",
                "{\"spec\":{\"accessModes\":[\"ReadWriteMany\"]}}");
        assertThat(immutable.exitCode()).isNotZero();
        assertThat(immutable.err()).as("%s", immutable).contains("spec is immutable after creation");
        Kubectl.Result delete = kubectl.run("delete", "-f", manifest.toString());
        assertThat(delete.exitCode()).as("%s", delete).isZero();
    }

    private static void assertOut(Kubectl.Result result, String expected) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).contains(expected);
    }

    /** A one-object table: its header names the columns, its row starts with the cells given. */
    private static void assertRow(Kubectl.Result result, List<String> header, String... cells) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).as("%s", result).hasSize(2);
        assertThat(List.of(lines.get(0).trim().split("\\s{2,}"))).as("%s", result).isEqualTo(header);
        assertThat(List.of(lines.get(1).trim().split("\\s{2,}"))).as("%s", result).startsWith(cells);
    }
}
