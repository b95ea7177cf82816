package dev.drydock.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubeconfig files drydock hands out: one cluster, one context on namespace {@code default}, one user. */
final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /**
     * Writes a kubeconfig to {@code file}.
     *
     * @param token the user's bearer token, or null for a user without credentials
     */
    static void write(Path file, String clusterEntry, String server, String context, String user, String token)
            throws IOException {
        String yaml = "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + clusterEntry + "\n"
                + "  cluster:\n"
                + "    server: " + server + "\n"
                + "contexts:\n"
                + "- name: " + context + "\n"
                + "  context:\n"
                + "    cluster: " + clusterEntry + "\n"
                + "    user: " + user + "\n"
                + "    namespace: default\n"
                + "current-context: " + context + "\n"
                + "users:\n"
                + "- name: " + user + "\n"
                + (token == null ? "  user: {}\n" : "  user:\n    token: " + token + "\n");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    /** What writes a kubeconfig to a file. */
    interface Writer {
        void write(Path file) throws IOException;
    }

    /** A new temporary file named {@code <prefix>...kubeconfig}, written by {@code writer}. */
    static Path temporary(String prefix, Writer writer) {
        try {
            Path file = Files.createTempFile(prefix, ".kubeconfig");
            writer.write(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
