package dev.drydock.samples;

import dev.drydock.docker.LocalImages;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link NodeCrashTest}, unchanged, on the Docker runtime: its pods are real containers, the crash kills them, the
 * replacements' busybox httpd answers their readiness probes for real. With no registry reachable, {@code busybox:1.36}
 * is made from the host's static busybox when the engine lacks it. Skipped without an engine, unless
 * {@code DRYDOCK_REQUIRE_DOCKER=1} (CI).
 */
@Cluster(nodes = 3, runtime = "docker")
class NodeCrashOnDockerTest extends NodeCrashTest {

    @BeforeAll
    static void busybox() {
        String missing = null;
        if (!Files.isExecutable(LocalImages.HOST_BUSYBOX)) {
            missing = "no static busybox at " + LocalImages.HOST_BUSYBOX;
        } else {
            try {
                LocalImages.busybox("busybox:1.36", LocalImages.HOST_BUSYBOX);
            } catch (IllegalStateException e) {
                missing = e.getMessage();
            }
        }
        if (missing == null) {
            return;
        }
        if ("1".equals(System.getenv("DRYDOCK_REQUIRE_DOCKER"))) {
            Assertions.fail(missing + "; DRYDOCK_REQUIRE_DOCKER=1 requires the Docker tests to run");
        }
        Assumptions.abort(missing + ": the Docker sample is skipped; start a Docker engine and install busybox-static "
                + "to run it");
    }
}
