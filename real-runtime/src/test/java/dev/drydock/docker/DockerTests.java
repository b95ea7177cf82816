package dev.drydock.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Docker tests need: an engine (skipped without one on a developer's machine, failed without one where
 * {@code DRYDOCK_REQUIRE_DOCKER=1}, as in CI) and a busybox image made locally from the host's static busybox, since
 * no registry is reachable.
 */
final class DockerTests {

    /** The test image: Debian's busybox-static binary, with its applets linked in /bin. */
    static final String BUSYBOX = "drydock-test/busybox:1";

    private DockerTests() {
    }

    /** A client of the engine the runtime uses; the test is skipped (or failed in CI) if none answers. */
    static DockerCluster.Engine engine() {
        DockerCluster.Engine engine = DockerCluster.connect();
        try {
            engine.docker().pingCmd().exec();
        } catch (RuntimeException e) {
            unavailable("no Docker engine answers at " + engine.host() + " (" + e.getMessage() + ")");
        }
        return engine;
    }

    /** Makes {@link #BUSYBOX} in the engine if it lacks it. */
    static void ensureBusybox(DockerCluster.Engine engine) {
        if (!Files.isExecutable(LocalImages.HOST_BUSYBOX)) {
            unavailable("no static busybox at " + LocalImages.HOST_BUSYBOX + " to make the test image from "
                    + "(apt-get install busybox-static)");
        }
        LocalImages.busybox(BUSYBOX, LocalImages.HOST_BUSYBOX);
    }

    /** A real gRPC server with the standard health service: etcd, from Debian's {@code etcd-server}. */
    static final String ETCD = "drydock-test/etcd:3.4";
    private static final java.nio.file.Path HOST_ETCD = java.nio.file.Path.of("/usr/bin/etcd");

    /**
     * Makes {@link #ETCD} in the engine if it lacks it: the host's etcd binary and the shared libraries it links
     * (as {@code ldd} lists them), since no registry is reachable.
     */
    static void ensureEtcd(DockerCluster.Engine engine) throws Exception {
        if (!Files.isExecutable(HOST_ETCD)) {
            unavailable("no etcd at " + HOST_ETCD + " to make the gRPC test image from (apt-get install etcd-server)");
        }
        try {
            engine.docker().inspectImageCmd(ETCD).exec();
            return;
        } catch (com.github.dockerjava.api.exception.NotFoundException absent) {
            // made below
        }
        Tar tar = new Tar().file("bin/etcd", Files.readAllBytes(HOST_ETCD), 0755);
        Process ldd = new ProcessBuilder("ldd", HOST_ETCD.toString()).redirectErrorStream(true).start();
        String libraries = new String(ldd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Assertions.assertEquals(0, ldd.waitFor(), "ldd " + HOST_ETCD + ": " + libraries);
        for (String line : libraries.lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(/\\S+) \\(0x").matcher(line);
            if (m.find()) { // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux... (0x...)"
                tar.file(m.group(1).substring(1), Files.readAllBytes(java.nio.file.Path.of(m.group(1))), 0755);
            }
        }
        tar.file("tmp/.keep", new byte[0], 0644);
        engine.importImage(ETCD, tar.bytes());
    }

    /** The containers and networks this JVM made that still exist. */
    static List<String> leftovers(DockerClient docker) {
        String me = ":" + ProcessHandle.current().pid();
        List<String> left = new java.util.ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(Labels.OWNER))
                .exec()) {
            if (c.getLabels().getOrDefault(Labels.OWNER, "").endsWith(me)) {
                left.add("container " + String.join(",", c.getNames()));
            }
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(Labels.OWNER)).exec()) {
            if (n.getLabels() != null && n.getLabels().getOrDefault(Labels.OWNER, "").endsWith(me)) {
                left.add("network " + n.getName());
            }
        }
        return left;
    }

    static void unavailable(String why) {
        if ("1".equals(System.getenv("DRYDOCK_REQUIRE_DOCKER"))) {
            Assertions.fail(why + "; DRYDOCK_REQUIRE_DOCKER=1 requires the Docker tests to run");
        }
        Assumptions.abort(why + ": the Docker runtime's tests are skipped. To run them, start a Docker engine "
                + "(e.g. apt-get install -y docker.io busybox-static && dockerd &), or set DOCKER_HOST");
    }
}
