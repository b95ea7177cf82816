package dev.drydock.fake;

/**
 * A fake gRPC server's health service ({@code grpc.health.v1.Health/Check}), as a container's {@code grpc} probe
 * asks it. It is called on drydock's shared threads and must not block.
 *
 * <pre>{@code
 * AtomicReference<String> health = new AtomicReference<>("SERVING");
 * ImageBehaviour b = new ImageBehaviour() {
 *     public GrpcHealth grpcHealth(int port, List<String> argv) {
 *         return port == 9090 ? service -> health.get() : null;
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface GrpcHealth {

    /**
     * The serving status of {@code service} (empty: the whole server): {@code SERVING}, {@code NOT_SERVING} or
     * {@code SERVICE_UNKNOWN}; null if the server does not know the service (gRPC's {@code NotFound}).
     */
    String check(String service);
}
