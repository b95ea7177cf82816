package dev.drydock.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium run headless on a local file, as the machine notes prescribe (no sandbox as root, no background
 * networking: this machine's network is closed), with a fresh profile that is deleted afterwards, and every process
 * it started gone when {@link #dumpDom} returns.
 */
final class HeadlessChromium {

    /** What to tell a developer whose machine has no Chromium. */
    static final String INSTALL = "install Debian's Chromium: apt-get install -y chromium (or set DRYDOCK_CHROMIUM "
            + "to a Chromium binary)";

    /** The DOM the page built, and the profile directory the run used (deleted by then). */
    record Result(String dom, Path userDataDir) {
    }

    private HeadlessChromium() {
    }

    /** The Chromium binary: {@code DRYDOCK_CHROMIUM}, else {@code chromium} or {@code chromium-browser} on the PATH. */
    static Optional<Path> find() {
        String configured = System.getenv("DRYDOCK_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin" : path + ":/usr/bin").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Paths.get(dir, "chromium"));
                candidates.add(Paths.get(dir, "chromium-browser"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Loads {@code page} and returns the DOM once its scripts have run ({@code --dump-dom}).
     *
     * @throws AssertionError if Chromium failed or did not finish within {@code timeout} (it is killed then)
     */
    static Result dumpDom(Path chromium, Path page, Duration timeout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("drydock-chromium-");
        Path out = Files.createTempFile("drydock-chromium-", ".dom");
        Path err = Files.createTempFile("drydock-chromium-", ".err");
        Process p = null;
        try {
            p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("chromium did not finish within " + timeout + "; its stderr:\n" + tail(err));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + "; its stderr:\n" + tail(err));
            }
            return new Result(Files.readString(out, StandardCharsets.UTF_8), profile);
        } finally {
            if (p != null && p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            killLeftovers(profile);
            deleteTree(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The processes still running with this profile (Chromium's helpers outliving it). */
    static List<ProcessHandle> using(Path profile) {
        String marker = "--user-data-dir=" + profile;
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(marker))
                .orElse(false)).toList();
    }

    private static void killLeftovers(Path profile) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = using(profile);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : left) {
                h.onExit().completeOnTimeout(h, 1, TimeUnit.SECONDS).join();
            }
            left = using(profile);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("chromium processes still running after 10 s: " + left);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}
