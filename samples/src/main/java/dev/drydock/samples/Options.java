package dev.drydock.samples;

import java.nio.file.Path;

/** The options of {@code drydock.jar up}. */
record Options(int nodes, int port, Path kubeconfig, String runtime) {

    static Options parse(String[] args) {
        int nodes = 3;
        int port = 0;
        Path kubeconfig = null;
        String runtime = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--nodes" -> nodes = number(a, v, 0, 10_000);
                case "--port" -> port = number(a, v, 0, 65_535);
                case "--kubeconfig" -> kubeconfig = Path.of(v);
                case "--runtime" -> runtime = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new Options(nodes, port, kubeconfig, runtime);
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number from " + min + " to " + max + ", not '"
                    + value + "'");
        }
    }
}
