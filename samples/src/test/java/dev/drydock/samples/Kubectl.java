package dev.drydock.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code /usr/bin/kubectl} against a cluster's kubeconfig, bounded in time. */
final class Kubectl {

    static final Path KUBECTL = Path.of("/usr/bin/kubectl");

    /** What a kubectl run printed and how it ended. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final Path kubeconfig;
    private final Path home;

    /** @param home kubectl's home and cache directory (a test's temp dir, so nothing is left behind) */
    Kubectl(Path kubeconfig, Path home) {
        if (!Files.isExecutable(KUBECTL)) {
            throw new IllegalStateException("this test needs kubectl at " + KUBECTL);
        }
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code input} (if not null) as its stdin. */
    Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "kubectl", ".out");
        Path err = Files.createTempFile(home, "kubectl", ".err");
        Path in = null;
        try {
            ProcessBuilder pb = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (input != null) {
                in = Files.createTempFile(home, "kubectl", ".in");
                Files.writeString(in, input, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not end in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (in != null) {
                Files.deleteIfExists(in);
            }
        }
    }

    /**
     * Starts kubectl for a command that runs on (logs -f, port-forward): its stdout and stderr are the process's to
     * read; the caller destroys it.
     */
    Process start(String... args) throws IOException {
        return builder(args).start();
    }

    /** As {@link #start(String...)}, with kubectl's stderr going to {@code err}. */
    Process start(Path err, String... args) throws IOException {
        return builder(args).redirectError(err.toFile()).start();
    }

    private ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(KUBECTL.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.add("--request-timeout=20s");
        cmd.add("--cache-dir=" + home.resolve("cache"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString()); // no user config, nothing left behind
        return pb;
    }
}
