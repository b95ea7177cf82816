package dev.drydock.fake;

import static dev.drydock.fake.ClusterPods.CONFIG_MAPS;
import static dev.drydock.fake.ClusterPods.SECRETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes as files a fake container reads: ConfigMap, Secret, downward API, projected and emptyDir volumes, read by
 * a behaviour ({@link ProgramContext#readFile}) and by the shell's {@code cat}, and a pod whose ConfigMap is missing.
 */
class PodVolumesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static DrydockCluster cluster;
    private static ClusterPods pods;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("pod-volumes").nodes(1));
        pods = new ClusterPods(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aBehaviourAndCatReadAConfigMapVolume() throws Exception {
        pods.create(CONFIG_MAPS, """
                {"metadata": {"name": "app-config"},
                 "data": {"app.properties": "color=blue\\n", "mode": "fast"}}""");
        ImageBehaviour reader = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return ctx -> {
                    ctx.stdout("files " + ctx.files() + "\n");
                    ctx.stdout("read " + ctx.readFile("/etc/app/app.properties"));
                    ctx.stdout("mode " + ctx.readFile("/etc/mode") + "\n");
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("podvolumestest/reader", reader)) {
            pods.create(Resource.PODS, """
                    {"metadata": {"name": "reads-config"},
                     "spec": {"volumes": [{"name": "config", "configMap": {"name": "app-config"}}],
                       "containers": [
                         {"name": "app", "image": "podvolumestest/reader:1",
                          "volumeMounts": [{"name": "config", "mountPath": "/etc/app"},
                                           {"name": "config", "mountPath": "/etc/mode", "subPath": "mode"}]},
                         {"name": "shell", "image": "busybox",
                          "command": ["sh", "-c", "cat /etc/app/app.properties; cat /etc/app/nope; sleep 3600"],
                          "volumeMounts": [{"name": "config", "mountPath": "/etc/app", "readOnly": true}]}]}}""");

            await().atMost(WAIT).until(() -> pods.phase("reads-config").equals("Running"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("reads-config", "app")).isEqualTo(
                    "files [/etc/app/app.properties, /etc/app/mode, /etc/mode]\nread color=blue\nmode fast\n"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("reads-config", "shell")).isEqualTo(
                    "color=blue\ncat: can't open '/etc/app/nope': No such file or directory\n"));
        }
    }

    @Test
    void secretDownwardApiProjectedAndSharedEmptyDirVolumesAreFiles() throws Exception {
        pods.create(SECRETS, """
                {"metadata": {"name": "tls"}, "data": {"tls.key": "a2V5", "tls.crt": "Y2VydA=="}}""");
        pods.create(CONFIG_MAPS, """
                {"metadata": {"name": "proj"}, "data": {"a": "1", "b": "2"}}""");
        ImageBehaviour writer = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return ctx -> {
                    ctx.writeFile("/shared/hello", "from the writer\n");
                    ctx.exit(0);
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("podvolumestest/writer", writer)) {
            pods.create(Resource.PODS, """
                    {"metadata": {"name": "files", "labels": {"app": "web", "tier": "front"}},
                     "spec": {"restartPolicy": "Never",
                       "volumes": [
                         {"name": "tls", "secret": {"secretName": "tls", "items": [{"key": "tls.key", "path": "k"}]}},
                         {"name": "info", "downwardAPI": {"items": [
                           {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                           {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}}]}},
                         {"name": "all", "projected": {"sources": [
                           {"configMap": {"name": "proj", "items": [{"key": "b", "path": "conf/b"}]}},
                           {"secret": {"name": "tls"}},
                           {"serviceAccountToken": {"path": "token"}}]}},
                         {"name": "shared", "emptyDir": {}}],
                       "containers": [
                         {"name": "writer", "image": "podvolumestest/writer:1",
                          "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]},
                         {"name": "reader", "image": "busybox",
                          "command": ["sh", "-c", "sleep 0.5; cat /tls/k /info/labels; echo; cat /info/name /all/conf/b /all/tls.crt; echo; cat /shared/hello /all/token"],
                          "volumeMounts": [{"name": "tls", "mountPath": "/tls"},
                                           {"name": "info", "mountPath": "/info"},
                                           {"name": "all", "mountPath": "/all"},
                                           {"name": "shared", "mountPath": "/shared", "readOnly": true}]}]}}""");

            await().atMost(WAIT).untilAsserted(() -> {
                com.fasterxml.jackson.databind.JsonNode status = pods.pod("files").path("status");
                assertThat(status.path("phase").asText()).as(status.toString()).isEqualTo("Succeeded");
            });
            assertThat(pods.log("files", "reader")).isEqualTo("keyapp=\"web\"\ntier=\"front\"\nfiles2cert\n"
                    + "from the writer\ndrydock-placeholder-token:system:serviceaccount:default:default");
        }
    }

    @Test
    void aChangedConfigMapReachesItsMountedFilesButNotSubPathMountsNorTheEnvironment() throws Exception {
        pods.create(CONFIG_MAPS, """
                {"metadata": {"name": "live"}, "data": {"color": "blue"}}""");
        ImageBehaviour watcher = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    private String last = "";

                    @Override
                    public void start(ProgramContext ctx) {
                        String now = ctx.readFile("/etc/live/color") + " " + ctx.readFile("/etc/color") + " "
                                + ctx.env().get("COLOR");
                        if (!now.equals(last)) {
                            ctx.stdout(now + "\n");
                            last = now;
                        }
                        ctx.after(Duration.ofMillis(20), () -> start(ctx));
                    }
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("podvolumestest/watcher", watcher)) {
            pods.create(Resource.PODS, """
                    {"metadata": {"name": "live"},
                     "spec": {"volumes": [{"name": "config", "configMap": {"name": "live"}}],
                       "containers": [{"name": "main", "image": "podvolumestest/watcher:1",
                         "env": [{"name": "COLOR", "valueFrom": {"configMapKeyRef": {"name": "live", "key": "color"}}}],
                         "volumeMounts": [{"name": "config", "mountPath": "/etc/live"},
                                          {"name": "config", "mountPath": "/etc/color", "subPath": "color"}]}]}}""");
            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("live")).isEqualTo("blue blue blue\n"));

            cluster.client().modify(CONFIG_MAPS, "default", "live",
                    cm -> dev.drydock.kube.Json.with(cm, "data").put("color", "green"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("live"))
                    .isEqualTo("blue blue blue\ngreen blue blue\n"));
        }
    }

    @Test
    void aDownwardApiVolumeShowsTheLabelsAsTheyChange() throws Exception {
        try (FakeImages.Registration r = FakeImages.register("podvolumestest/labels",
                printsOnChange("/etc/info/labels"))) {
            pods.create(Resource.PODS, """
                    {"metadata": {"name": "labelled", "labels": {"version": "1"}},
                     "spec": {"volumes": [{"name": "info", "downwardAPI": {"items": [
                               {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}],
                       "containers": [{"name": "main", "image": "podvolumestest/labels:1",
                         "volumeMounts": [{"name": "info", "mountPath": "/etc/info"}]}]}}""");
            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("labelled")).isEqualTo("version=\"1\"\n"));

            cluster.client().modify(Resource.PODS, "default", "labelled",
                    p -> dev.drydock.kube.Json.with(p, "metadata", "labels").put("version", "2"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("labelled"))
                    .isEqualTo("version=\"1\"\nversion=\"2\"\n"));
        }
    }

    /** A behaviour that prints a file's content each time it changes, looking every 20 ms. */
    private static ImageBehaviour printsOnChange(String path) {
        return new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    private String last = "";

                    @Override
                    public void start(ProgramContext ctx) {
                        String now = ctx.readFile(path);
                        if (!now.equals(last)) {
                            ctx.stdout(now + "\n");
                            last = now;
                        }
                        ctx.after(Duration.ofMillis(20), () -> start(ctx));
                    }
                };
            }
        };
    }

    @Test
    void theShellRedirectsOutputToFilesOfAWritableVolumeOnly() throws Exception {
        pods.create(CONFIG_MAPS, """
                {"metadata": {"name": "ro"}, "data": {"k": "v"}}""");
        pods.create(Resource.PODS, """
                {"metadata": {"name": "redirects"},
                 "spec": {"restartPolicy": "Never",
                   "volumes": [{"name": "data", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "ro"}}],
                   "containers": [{"name": "main", "image": "busybox",
                     "command": ["sh", "-c", "echo one > /data/f && echo two >>/data/f; cat /data/f; cat /nope 2> '/data/err'; cat /data/err; echo no > /cfg/k; echo status=$?"],
                     "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "cfg", "mountPath": "/cfg"}]}]}}""");

        await().atMost(WAIT).until(() -> pods.phase("redirects").equals("Succeeded"));
        assertThat(pods.log("redirects")).isEqualTo("one\ntwo\ncat: can't open '/nope': No such file or directory\n"
                + "sh: can't create /cfg/k: Read-only file system\nstatus=1\n");
    }

    @Test
    void aPodWhoseConfigMapVolumeIsMissingWaitsInContainerCreatingUntilItAppears() {
        pods.create(Resource.PODS, """
                {"metadata": {"name": "mount-waits"},
                 "spec": {"volumes": [{"name": "config", "configMap": {"name": "not-yet"}}],
                   "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "3600"],
                     "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}]}]}}""");

        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.events("mount-waits")).contains(
                "FailedMount: MountVolume.SetUp failed for volume \"config\" : configmap \"not-yet\" not found"));
        assertThat(pods.waiting("mount-waits").path("reason").asText()).isEqualTo("ContainerCreating");
        assertThat(pods.waiting("mount-waits").has("message")).isFalse();
        assertThat(pods.phase("mount-waits")).isEqualTo("Pending");

        pods.create(CONFIG_MAPS, """
                {"metadata": {"name": "not-yet"}, "data": {"k": "v"}}""");

        await().atMost(WAIT).until(() -> pods.phase("mount-waits").equals("Running"));
    }

}
