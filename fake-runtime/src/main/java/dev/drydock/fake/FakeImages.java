package dev.drydock.fake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@link ImageBehaviour} the fake runtime gives each image. Built in: {@code nginx} (any tag or registry)
 * answers HTTP on port 80, {@code hashicorp/http-echo} answers its {@code -text} on its {@code -listen} port (5678
 * by default), {@code busybox httpd -f -p PORT} serves HTTP on its port ({@link BusyboxHttpd}); every other image
 * runs {@link ImageBehaviour#DEFAULT}. A test registers its own:
 *
 * <pre>{@code
 * try (FakeImages.Registration r = FakeImages.register("shop/cart", new ImageBehaviour() {
 *     public PortHandler port(int port, List<String> argv) {
 *         return port == 8080 ? PortHandlers.echo() : null;
 *     }
 * })) {
 *     ... // pods of shop/cart (any tag) created from now on echo on 8080
 * }
 * }</pre>
 *
 * This registry is the JVM's, shared by every cluster in it: prefer a cluster's own,
 * {@code cluster.images().register(image, behaviour)}, which tests running in parallel do not share and which wins over
 * this one. Here, use image names of your own, and close the registration when done. A container's behaviour is chosen when it is created.
 * A registered image (and a built-in one, including the sleepers {@code busybox}, {@code alpine} and {@code pause})
 * exists for every cluster's pulls; whether other images exist is each cluster's choice
 * ({@link dev.drydock.runtime.UnknownImages}), and a test can mark any image missing or slow to pull on its cluster's
 * {@link dev.drydock.runtime.ImageRegistry}.
 */
public final class FakeImages {

    private static final Map<String, ImageBehaviour> REGISTERED = new ConcurrentHashMap<>();
    private static final Map<String, ImageBehaviour> BUILT_IN = Map.of(
            "busybox", new ImageBehaviour() {
                @Override
                public PortHandler port(int port, PodContext pod) {
                    return BusyboxHttpd.port(port, pod);
                }
            },
            "nginx", new ImageBehaviour() {
                @Override
                public PortHandler port(int port, List<String> argv) {
                    return port == 80 ? PortHandlers.http(200, "text/html", NGINX_PAGE) : null;
                }
            },
            "hashicorp/http-echo", new ImageBehaviour() {
                @Override
                public PortHandler port(int port, List<String> argv) {
                    String listen = flag(argv, "listen", ":5678");
                    String text = flag(argv, "text", "");
                    return listen.endsWith(":" + port) ? PortHandlers.http(200, "text/plain; charset=utf-8",
                            text + "\n") : null;
                }
            });

    static final String NGINX_PAGE = """
            <!DOCTYPE html>
            <html>
            <head>
            <title>Welcome to nginx!</title>
            </head>
            <body>
            <h1>Welcome to nginx!</h1>
            <p>If you see this page, the nginx web server is successfully installed and
            working. Further configuration is required.</p>
            </body>
            </html>
            """;

    private FakeImages() {
    }

    /** Undoes a {@link #register}. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gives containers of {@code image} created from now on {@code behaviour}. {@code image} names a repository
     * ({@code shop/cart}: every tag and digest) or one tag ({@code shop/cart:1}, which wins over the repository).
     */
    public static Registration register(String image, ImageBehaviour behaviour) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("an image name is needed");
        }
        REGISTERED.put(image, behaviour);
        return () -> REGISTERED.remove(image, behaviour);
    }

    /** The images that exist without a behaviour of their own: sleepers, as the pause container and busybox are. */
    private static final java.util.Set<String> BUILT_IN_SLEEPERS = java.util.Set.of("busybox", "alpine", "pause",
            "registry.k8s.io/pause", "k8s.gcr.io/pause");

    /**
     * Whether the fake runtime knows {@code image}: a behaviour is registered for it (or its repository), or it is
     * built in ({@code nginx}, {@code hashicorp/http-echo}, {@code busybox}, {@code alpine}, {@code pause}). What an
     * unknown image does is the cluster's choice ({@link dev.drydock.runtime.UnknownImages}).
     */
    public static boolean isKnown(String image) {
        if (REGISTERED.containsKey(image) || REGISTERED.containsKey(repository(image))) {
            return true;
        }
        String shortName = shortName(repository(image));
        return BUILT_IN.containsKey(shortName) || BUILT_IN_SLEEPERS.contains(shortName);
    }

    /**
     * Whether a cluster's nodes know {@code image}: registered on the cluster's {@code registry}, or known to the JVM
     * ({@link #isKnown(String)}).
     */
    public static boolean isKnown(dev.drydock.runtime.ImageRegistry registry, String image) {
        return registry.behaviour(image) instanceof ImageBehaviour || isKnown(image);
    }

    /** The behaviour of {@code image} now on a cluster's nodes: the cluster's registration first, then the JVM's. */
    public static ImageBehaviour behaviour(dev.drydock.runtime.ImageRegistry registry, String image) {
        if (registry.behaviour(image) instanceof ImageBehaviour own) {
            return own;
        }
        return behaviour(image);
    }

    /** The behaviour of {@code image} now. */
    public static ImageBehaviour behaviour(String image) {
        ImageBehaviour exact = REGISTERED.get(image);
        if (exact != null) {
            return exact;
        }
        String repository = repository(image);
        ImageBehaviour registered = REGISTERED.get(repository);
        if (registered != null) {
            return registered;
        }
        return BUILT_IN.getOrDefault(shortName(repository), ImageBehaviour.DEFAULT);
    }

    /** A repository as Docker Hub's short names give it: {@code docker.io/library/nginx} is {@code nginx}. */
    private static String shortName(String repository) {
        String shortName = repository.startsWith("docker.io/") ? repository.substring("docker.io/".length())
                : repository;
        if (shortName.startsWith("library/")) {
            shortName = shortName.substring("library/".length());
        }
        return shortName;
    }

    /** The image's repository: without its tag or digest. */
    static String repository(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        return name;
    }

    /** A Go-style flag ({@code -name=value} or {@code --name=value}) of a command line, or {@code otherwise}. */
    static String flag(List<String> argv, String name, String otherwise) {
        for (String a : argv) {
            for (String prefix : List.of("-" + name + "=", "--" + name + "=")) {
                if (a.startsWith(prefix)) {
                    return a.substring(prefix.length());
                }
            }
        }
        return otherwise;
    }
}
