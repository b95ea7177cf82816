package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube's {@code NamespaceLifecycle} admission: an object is created only in a namespace that exists and is not
 * being deleted. As kube's plugin, it reads namespaces from the watch cache (kube: its informer), asks the store when
 * the cache has not seen the namespace, and asks the store for {@value #FORCE_LIVE_LOOKUP_SECONDS} s after a delete
 * of the namespace went through this server, so that no create slips in while the cache catches up.
 */
final class NamespaceLifecycle implements Admission {

    /** kube's {@code forceLiveLookupTTL}. */
    static final long FORCE_LIVE_LOOKUP_SECONDS = 30;

    private final Clock clock;
    /** What was last read of each namespace, by version, so that an unchanged namespace is not decoded again. */
    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
    /** Namespaces deleted lately, with the {@link Clock#nanoTime()} until which they are read from the store. */
    private final ConcurrentHashMap<String, Long> forceLiveLookup = new ConcurrentHashMap<>();

    private record Seen(long version, boolean deleting) {
    }

    NamespaceLifecycle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void deleting(KindDescriptor kind, String namespace, String name) {
        if (kind.resource().equals(Resource.NAMESPACES)) {
            forceLiveLookup.put(name, clock.nanoTime() + Duration.ofSeconds(FORCE_LIVE_LOOKUP_SECONDS).toNanos());
        }
    }

    @Override
    public void admit(Operation operation, KindDescriptor kind, ObjectNode obj, ObjectNode old,
                      ResourceStorage storage) {
        if (operation != Operation.CREATE || !kind.resource().namespaced()) {
            return;
        }
        String namespace = Json.namespace(obj);
        String name = Json.name(obj);
        KindDescriptor namespaces = storage.registry().find(Resource.NAMESPACES);
        boolean live = liveLookup(namespace);
        long version = live ? -1 : storage.cachedVersion(namespaces, null, namespace);
        if (version < 0) {
            live = true;
            version = storage.version(namespaces, null, namespace);
        }
        Seen seen = version == 0 ? null : this.seen.get(namespace);
        if (seen == null || seen.version != version) {
            ObjectNode ns = version == 0 ? null
                    : live ? storage.find(namespaces, null, namespace) : storage.findCached(namespaces, null, namespace);
            if (ns == null) {
                this.seen.remove(namespace);
                throw ApiException.of(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                        Resource.NAMESPACES, namespace);
            }
            seen = new Seen(Long.parseLong(ns.path("metadata").path("resourceVersion").asText("0")),
                    Json.isDeleting(ns));
            this.seen.put(namespace, seen);
        }
        if (seen.deleting) {
            throw ApiException.of(403, "Forbidden", kind.resource().qualifiedName() + " \"" + name
                    + "\" is forbidden: unable to create new content in namespace " + namespace
                    + " because it is being terminated", kind.resource(), name);
        }
    }

    private boolean liveLookup(String namespace) {
        if (forceLiveLookup.isEmpty()) {
            return false;
        }
        Long until = forceLiveLookup.get(namespace);
        if (until == null) {
            return false;
        }
        if (clock.nanoTime() - until < 0) {
            return true;
        }
        forceLiveLookup.remove(namespace, until);
        return false;
    }
}
