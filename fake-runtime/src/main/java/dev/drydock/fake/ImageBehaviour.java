package dev.drydock.fake;

import java.util.List;

/**
 * What the containers of an image do in the fake runtime: their main process, the commands {@code kubectl exec} can
 * run in them (and exec probes), the ports they serve (which httpGet and tcpSocket probes reach), and their gRPC
 * health. Register one for a cluster with {@code cluster.images().register(image, behaviour)} (or for the whole
 * JVM with {@link FakeImages#register}); an image nobody registered behaves as {@link #DEFAULT}.
 */
public interface ImageBehaviour extends dev.drydock.runtime.ImageRegistry.Behaviour {

    /**
     * The container's main process. {@code argv} is the pod's {@code command} then {@code args}; empty when the pod
     * gives neither (the image's own entrypoint). By default a command of {@link Builtins} runs (e.g.
     * {@code sh -c 'echo hi; sleep 5'}), and anything else sleeps until the container is stopped, as every fake
     * container did before behaviours: an application's own binary is not there to run.
     */
    default Program main(List<String> argv) {
        Program builtin = Builtins.program(argv);
        return builtin != null ? builtin : Builtins.sleeper();
    }

    /** The program for a command run by exec, or null if the image has none ({@code executable file not found}). */
    default Program exec(List<String> argv) {
        return Builtins.program(argv);
    }

    /** What serves {@code port} while a container of this image runs, or null if it serves nothing there. */
    default PortHandler port(int port, List<String> argv) {
        return null;
    }

    /**
     * What answers gRPC health checks ({@code grpc.health.v1.Health/Check}, as a {@code grpc} probe asks) on
     * {@code port} while a container of this image runs, or null if no gRPC server listens there.
     */
    default GrpcHealth grpcHealth(int port, List<String> argv) {
        return null;
    }

    /**
     * What serves {@code port}, knowing its pod: a handler that calls other pods and Services does so through
     * {@code pod.http()}. By default {@link #port(int, List)} with the container's command line.
     */
    default PortHandler port(int port, PodContext pod) {
        return port(port, pod.argv());
    }

    /** The behaviour of an image nobody registered: the built-in commands, no ports. */
    ImageBehaviour DEFAULT = new ImageBehaviour() {
    };
}
