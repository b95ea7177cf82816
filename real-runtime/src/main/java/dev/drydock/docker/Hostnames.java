package dev.drydock.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's host name in the containers that join a warm sandbox. The engine gives a container that joins another's
 * network namespace that container's host name (and refuses one of its own), and a warm sandbox was started before its
 * pod was known; so the host name of each such container's UTS namespace is set to the pod's right after it starts,
 * with the host's {@code nsenter} and {@code hostname} (root on a Linux Docker host, as the partitions need); its
 * {@code HOSTNAME} variable and the sandbox's {@code /etc/hostname} and {@code /etc/hosts} say the pod's from the
 * start. A program that asks the kernel for its host name in its first milliseconds may still see the warm
 * sandbox's.
 */
final class Hostnames {

    private static final Logger LOG = LoggerFactory.getLogger(Hostnames.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Hostnames() {
    }

    /** Sets the host name of the UTS namespace of process {@code pid} to {@code hostname}. */
    static void set(long pid, String hostname) {
        try {
            Process p = new ProcessBuilder("nsenter", "-t", Long.toString(pid), "-u", "hostname", hostname)
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                warn("setting the host name " + hostname + " did not finish within 10 s");
            } else if (p.exitValue() != 0 && !out.contains("No such process")) { // exited meanwhile: no matter
                warn("setting the host name " + hostname + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            warn("could not run nsenter/hostname: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Said at warn once, then at debug. */
    static void warn(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("some pods on the Docker runtime do not have their own host name: {} (it needs root, nsenter "
                    + "and hostname on a Linux Docker host that shares its file system with drydock)", why);
        } else {
            LOG.debug("{}", why);
        }
    }
}
