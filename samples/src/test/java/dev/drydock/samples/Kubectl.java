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
        List<String> cmd = new ArrayList<>();
        cmd.add(KUBECTL.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.add("--request-timeout=20s");
        cmd.add("--cache-dir=" + home.resolve("cache"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(home, "kubectl", ".out");
        Path err = Files.createTempFile(home, "kubectl", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("HOME", home.toString()); // no user config, nothing left behind
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
        }
    }
}
