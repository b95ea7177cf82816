package dev.drydock.samples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code drydock.jar} launcher.
 *
 * <pre>
 * java -jar drydock.jar up [--nodes N] [--port N] [--kubeconfig PATH] [--runtime NAME]
 * java -jar drydock.jar bench NAME     (NAME: startup, idle, api, store, chaos, scale, docker)
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "up" -> Up.run(Options.parse(rest), out);
                case "bench" -> Benchmarks.run(rest, out, err);
                default -> {
                    err.println("unknown command: " + args[0]);
                    usage(err);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("drydock: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            // e.g. a kubeconfig another up holds, or a runtime whose module is missing
            err.println("drydock: " + e.getMessage());
            return 1;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage:");
        out.println("  java -jar drydock.jar up [--nodes N] [--port N] [--kubeconfig PATH] [--runtime NAME]");
        out.println("      starts a cluster (3 nodes, fake runtime) until Ctrl-C or SIGTERM; writes a kubeconfig for kubectl");
        out.println("      (default $TMPDIR/drydock.kubeconfig, or drydock-2.kubeconfig... while another up holds it),");
        out.println("      deleted when it stops");
        out.println("  java -jar drydock.jar bench NAME");
        out.println("      runs a benchmark and prints 'metric value unit' lines; NAME: "
                + String.join(", ", Benchmarks.NAMES));
    }
}
