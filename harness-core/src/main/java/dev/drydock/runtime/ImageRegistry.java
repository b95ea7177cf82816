package dev.drydock.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image registry the nodes of one cluster pull from, as a test shapes it: whether images the runtime does not know
 * exist ({@link UnknownImages}), and which images a test marked missing or slow to pull. Each cluster has its own
 * ({@code cluster.images()}); every node's runtime reads it when it pulls. Thread-safe.
 *
 * <pre>{@code
 * cluster.images().missing("shop/cart:2");                       // its pulls fail: ErrImagePull, ImagePullBackOff
 * cluster.images().slowPull("shop/web", Duration.ofSeconds(30)); // every tag takes 30 s of the cluster's clock
 * cluster.images().reset("shop/cart:2");                         // it is back: the next pull succeeds
 * }</pre>
 *
 * A test also registers what an image does on this cluster's nodes ({@link #register}), for the runtime to run:
 *
 * <pre>{@code
 * cluster.images().register("shop/cart:1", new ImageBehaviour() { ... }); // the fake runtime's behaviours
 * }</pre>
 *
 * A name is a repository ({@code shop/cart}: every tag and digest) or one image ({@code shop/cart:2}, which wins over
 * its repository). A node keeps what it pulled: an image marked missing after a node pulled it still runs there
 * under {@code imagePullPolicy: IfNotPresent}, as on Kubernetes.
 */
public final class ImageRegistry {

    private volatile UnknownImages unknownImages;
    private final Map<String, Boolean> missing = new ConcurrentHashMap<>();
    private final Map<String, Duration> slow = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

    /**
     * What a runtime runs for an image, as a test registers it: each runtime knows its own kind (the fake runtime's
     * {@code ImageBehaviour} is one) and ignores the others.
     */
    public interface Behaviour {
    }

    /** Undoes a {@link #register}. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gives containers of {@code image} created from now on on this cluster's nodes {@code behaviour}: its name is a
     * repository ({@code shop/cart}: every tag and digest) or one tag ({@code shop/cart:1}, which wins over the
     * repository). The image then exists for this cluster's pulls. Other clusters in the JVM do not see it, so tests
     * that run in parallel do not share behaviours. Closing the registration (or the cluster) removes it.
     *
     * @throws IllegalArgumentException if the name is blank or the behaviour null
     */
    public Registration register(String image, Behaviour behaviour) {
        check(image);
        if (behaviour == null) {
            throw new IllegalArgumentException("register \"" + image + "\": the behaviour must not be null");
        }
        behaviours.put(image, behaviour);
        return () -> behaviours.remove(image, behaviour);
    }

    /** The behaviour registered on this cluster for {@code image} (the tag first, then its repository), or null. */
    public Behaviour behaviour(String image) {
        Behaviour exact = behaviours.get(image);
        return exact != null ? exact : behaviours.get(repository(image));
    }

    /** A registry in which unknown images are {@link UnknownImages#SLEEP sleepers} and no image is marked. */
    public ImageRegistry() {
        this(UnknownImages.SLEEP);
    }

    /**
     * A registry in which unknown images do what {@code unknownImages} says and no image is marked.
     *
     * @throws IllegalArgumentException if {@code unknownImages} is null
     */
    public ImageRegistry(UnknownImages unknownImages) {
        if (unknownImages == null) {
            throw new IllegalArgumentException("unknownImages must not be null; it is one of "
                    + List.of(UnknownImages.values()));
        }
        this.unknownImages = unknownImages;
    }

    /** What the runtime does with an image it does not know. */
    public UnknownImages unknownImages() {
        return unknownImages;
    }

    /**
     * Marks {@code image} (a repository or one tag) as absent from the registry: pulls of it fail as a pull of a name
     * that does not exist does ({@code not found}), until {@link #reset}.
     */
    public ImageRegistry missing(String image) {
        missing.put(check(image), Boolean.TRUE);
        return this;
    }

    /**
     * Makes pulls of {@code image} (a repository or one tag) take {@code duration} of the cluster's clock, during
     * which its containers wait in {@code ContainerCreating}; nothing else of the node waits for it.
     *
     * @throws IllegalArgumentException if {@code duration} is null or negative
     */
    public ImageRegistry slowPull(String image, Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("slowPull of \"" + image + "\": the duration must not be null or "
                    + "negative, got " + duration);
        }
        slow.put(check(image), duration);
        return this;
    }

    /** Undoes {@link #missing} and {@link #slowPull} for {@code image} (the same name they were given). */
    public ImageRegistry reset(String image) {
        missing.remove(check(image));
        slow.remove(image);
        return this;
    }

    /** Whether a test marked {@code image}, or its repository, missing. */
    public boolean isMissing(String image) {
        return missing.containsKey(image) || missing.containsKey(repository(image));
    }

    /** How long a pull of {@code image} takes: what {@link #slowPull} set for it or its repository, else zero. */
    public Duration pullTime(String image) {
        Duration d = slow.get(image);
        if (d == null) {
            d = slow.get(repository(image));
        }
        return d == null ? Duration.ZERO : d;
    }

    /** The image's repository: without its tag or digest. */
    public static String repository(String image) {
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

    private static String check(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("an image name is needed, e.g. \"shop/cart:2\" or \"shop/cart\"");
        }
        return image;
    }
}
