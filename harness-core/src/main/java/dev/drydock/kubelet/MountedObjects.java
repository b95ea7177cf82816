package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Timers;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The ConfigMaps and Secrets that the volumes of a kubelet's pods mount, watched one by one (kube's configmap and
 * secret managers with their default {@code Watch} strategy: a watch per referenced object, by
 * {@code metadata.name}), so that a change reaches the mounted files, as kube's volume manager rewrites them. A
 * node watches only what its pods mount: nothing when they mount none. A watch ends when no pod of the node that
 * mounts the object runs any more (checked at the object's next change, and at the kubelet's close).
 */
final class MountedObjects implements AutoCloseable {

    /** An object of a namespace. */
    record Ref(Resource resource, String namespace, String name) {
    }

    private final KubeClient client;
    private final Timers timers;
    private final Consumer<String> changed;
    private final Predicate<String> running;
    // guarded by this
    private final Map<Ref, Informer> watches = new HashMap<>();
    private final Map<Ref, Set<String>> pods = new HashMap<>();
    private boolean closed;

    /**
     * @param changed hears the key of a pod that mounts an object that changed
     * @param running whether the kubelet still runs the pod of a key
     */
    MountedObjects(KubeClient client, Timers timers, Consumer<String> changed, Predicate<String> running) {
        this.client = client;
        this.timers = timers;
        this.changed = changed;
        this.running = running;
    }

    /** The pod of {@code podKey} mounts {@code refs} (what it mounted before and not now is forgotten). */
    void track(String podKey, Set<Ref> refs) {
        List<Informer> started = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Map.Entry<Ref, Set<String>> e : pods.entrySet()) {
                if (!refs.contains(e.getKey())) {
                    e.getValue().remove(podKey);
                }
            }
            for (Ref ref : refs) {
                pods.computeIfAbsent(ref, r -> new HashSet<>()).add(podKey);
                if (!watches.containsKey(ref)) {
                    Informer w = new Informer(client, ref.resource(), ref.namespace(),
                            Informer.selectors(null, "metadata.name=" + ref.name()), timers).withoutManagedFields();
                    w.addHandler(new Informer.Handler() {
                        @Override
                        public void onAdd(ObjectNode obj) {
                            changed(ref, w);
                        }

                        @Override
                        public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                            changed(ref, w);
                        }
                    });
                    watches.put(ref, w);
                    started.add(w);
                }
            }
        }
        started.forEach(Informer::start);
    }

    /** How many objects are watched now: for tests. */
    synchronized int watched() {
        return watches.size();
    }

    /** Also at the watch's first list: the object may have changed since the container read it. */
    private void changed(Ref ref, Informer w) {
        List<String> keys = new ArrayList<>();
        Informer stop = null;
        synchronized (this) {
            Set<String> keysOf = pods.getOrDefault(ref, Set.of());
            keysOf.removeIf(k -> !running.test(k));
            keys.addAll(keysOf);
            if (keysOf.isEmpty() && watches.get(ref) == w) {
                watches.remove(ref);
                pods.remove(ref);
                stop = w;
            }
        }
        if (stop != null) {
            stop.close();
        }
        keys.forEach(changed);
    }

    @Override
    public void close() {
        List<Informer> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(watches.values());
            watches.clear();
            pods.clear();
        }
        all.forEach(Informer::close);
    }
}
