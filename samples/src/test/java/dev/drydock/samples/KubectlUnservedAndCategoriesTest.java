package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What kubectl 1.32 shows where drydock does less than kube (the API server's proxy: a message that says so, not
 * "could not find the requested resource"), and {@code kubectl get all}, which needs kube's categories in discovery.
 */
@Cluster(nodes = 2)
class KubectlUnservedAndCategoriesTest {

    @Test
    void getAllListsTheDeploymentItsReplicaSetAndItsPods(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        assertThat(kubectl.run("create", "deployment", "all", "--image=busybox", "--replicas=2").exitCode()).isZero();
        assertThat(kubectl.run("rollout", "status", "deployment/all", "--timeout=30s").exitCode()).isZero();

        Kubectl.Result all = kubectl.run("get", "all", "-o", "name");

        assertThat(all.exitCode()).as("%s", all).isZero();
        assertThat(all.out().lines().toList())
                .contains("deployment.apps/all")
                .anySatisfy(l -> assertThat(l).startsWith("replicaset.apps/all-"))
                .filteredOn(l -> l.startsWith("pod/all-")).hasSize(2);
        assertThat(kubectl.run("delete", "deployment", "all").exitCode()).isZero();
    }

    @Test
    void theProxyToAnExistingPodSaysDrydockDoesNotServeItYet(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Kubectl.Result run = kubectl.run("run", "quiet", "--image=busybox", "--", "sleep", "3600");
        assertThat(run.exitCode()).as("%s", run).isZero();

        Kubectl.Result proxy = kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/quiet:80/proxy/");
        assertThat(proxy.exitCode()).isNotZero();
        assertThat(proxy.err()).as("%s", proxy)
                .contains("drydock does not serve pods/proxy (the API server's proxy to a pod) yet")
                .doesNotContain("could not find the requested resource");

        assertThat(kubectl.run("delete", "pod", "quiet").exitCode()).isZero();
    }

    @Test
    void logsAndExecOfAMissingPodSayItIsNotFound(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result logs = kubectl.run("logs", "nope");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.err()).as("%s", logs).contains("pods \"nope\" not found");

        Kubectl.Result proxy = kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/nope:80/proxy/");
        assertThat(proxy.exitCode()).isNotZero();
        assertThat(proxy.err()).as("%s", proxy).contains("pods \"nope\" not found");
    }
}
