package dev.drydock.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images made in the Docker engine without a registry, for machines that reach none (CI sandboxes): a busybox image
 * from the host's static busybox binary (Debian's {@code busybox-static}), its applets linked in {@code /bin}.
 * Users with a registry pull their images as usual and need none of this.
 */
public final class LocalImages {

    /** Where Debian's {@code busybox-static} puts its binary. */
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

    private LocalImages() {
    }

    /**
     * Makes the image {@code name} (e.g. {@code busybox:1.36}) from {@code busybox}, a statically linked busybox
     * binary, unless the engine at {@code DOCKER_HOST} (or the default socket) has that image already.
     *
     * @return whether it made the image (false: it was there)
     * @throws IllegalStateException if no engine answers, {@code name} has no tag, or {@code busybox} cannot be run
     */
    public static boolean busybox(String name, Path busybox) {
        if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            throw new IllegalStateException("an image name with a tag is needed (e.g. busybox:1.36), got " + name);
        }
        DockerCluster.Engine engine = DockerCluster.connect();
        try {
            try {
                engine.docker().pingCmd().exec();
            } catch (RuntimeException e) {
                throw new IllegalStateException("no Docker engine answers at " + engine.host() + ": "
                        + e.getMessage(), e);
            }
            try {
                engine.docker().inspectImageCmd(name).exec();
                return false;
            } catch (NotFoundException absent) {
                // made below
            }
            engine.importImage(name, rootfs(busybox));
            return true;
        } finally {
            try {
                engine.docker().close();
            } catch (IOException e) {
                // the client holds nothing more
            }
        }
    }

    private static byte[] rootfs(Path busybox) {
        List<String> applets;
        byte[] binary;
        try {
            Process list = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
            applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(a -> !a.isBlank() && !a.equals("busybox")).toList();
            if (list.waitFor() != 0 || applets.isEmpty()) {
                throw new IllegalStateException(busybox + " --list gave no applets: is it busybox?");
            }
            binary = Files.readAllBytes(busybox);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + busybox + " (apt-get install busybox-static): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing busybox's applets", e);
        }
        Tar tar = new Tar().file("bin/busybox", binary, 0755);
        applets.forEach(a -> tar.symlink("bin/" + a, "busybox"));
        tar.file("tmp/.keep", new byte[0], 0644);
        return tar.bytes();
    }
}
