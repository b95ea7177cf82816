package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.CacheConfig;
import dev.drydock.api.cache.CacheList;
import dev.drydock.api.cache.CachedObject;
import dev.drydock.api.cache.CachedObjectNode;
import dev.drydock.api.cache.Selection;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.api.cache.WatchCaches;
import dev.drydock.api.cache.WatchOptions;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.net.Network;
import dev.drydock.store.KeyValue;
import dev.drydock.store.RangeResult;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.Txn;
import dev.drydock.store.TxnOp;
import dev.drydock.store.TxnResult;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's core: one generic handler that serves every kind of the {@link KindRegistry} over the
 * {@link Store}, with kube-apiserver's semantics (resourceVersion from store revisions, optimistic concurrency,
 * generateName, uid, generation, finalizers, selectors, watch from a resource version) and its errors as
 * {@code Status} objects. It is itself the in-process {@link Transport}; {@link HttpApiServer} puts HTTP in front.
 */
public final class ApiServer implements Transport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final Store store;
    private final KindRegistry registry;
    private final Clock clock;
    private final Random random;
    private final WatchCaches caches;

    /**
     * @param timer      runs watch timeouts and bookmarks
     * @param seed       the cluster's seed: uids and generated names come from it, so that a run can be replayed
     * @param watchLanes the shared, bounded pool on which watch events are handed to watchers, one lane per watcher
     */
    public ApiServer(Store store, KindRegistry registry, Clock clock, ScheduledExecutorService timer, long seed,
                     Executor watchLanes) {
        this(store, registry, clock, timer, seed, watchLanes, WatchCache.Settings.defaults());
    }

    /** An API server whose watch caches have other settings than kube's (tests use a small window or buffer). */
    public ApiServer(Store store, KindRegistry registry, Clock clock, ScheduledExecutorService timer, long seed,
                     Executor watchLanes, WatchCache.Settings cacheSettings) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.random = new Random(seed);
        this.caches = new WatchCaches(store, clock, timer, watchLanes, cacheSettings);
    }

    /** Ends every watch it serves (their streams end normally) and stops its watch caches. */
    @Override
    public void close() {
        caches.close();
    }

    public KindRegistry registry() {
        return registry;
    }

    public Clock clock() {
        return clock;
    }

    /** A transport for a party of the cluster (a node, the scheduler...) whose requests cross the network. */
    public Transport transport(String party, Network network) {
        return new Transport() {
            @Override
            public ApiResponse call(ApiRequest request) {
                network.check(party, Network.API_SERVER);
                ApiResponse response = ApiServer.this.call(request);
                network.check(Network.API_SERVER, party);
                return response;
            }

            @Override
            public Watch watch(ApiRequest request, WatchHandler handler) {
                network.check(party, Network.API_SERVER);
                return ApiServer.this.watch(request, handler);
            }
        };
    }

    @Override
    public ApiResponse call(ApiRequest req) {
        try {
            ResourceKind kind = kindOf(req.resource());
            if ("scale".equals(req.subresource())) {
                return ok(scale(kind, req));
            }
            return switch (req.verb()) {
                case GET -> ok(get(kind, req));
                case LIST -> ok(list(kind, req));
                case CREATE -> "binding".equals(req.subresource()) ? bind(kind, req) : created(create(kind, req));
                case UPDATE -> ok(update(kind, req));
                case PATCH -> ok(patch(kind, req));
                case DELETE -> ok(deleted(kind, delete(kind, req.namespace(), req.name(),
                        "All".equals(req.param("dryRun")))));
                case DELETE_COLLECTION -> ok(deleteCollection(kind, req));
                case WATCH -> throw ApiException.of(400, "BadRequest", "watch needs a streaming transport");
            };
        } catch (ApiException e) {
            return new ApiResponse(e.code(), e.status());
        } catch (StoreException e) {
            ApiException a = Errors.storeError(e);
            return new ApiResponse(a.code(), a.status());
        } catch (RuntimeException e) {
            LOG.warn("internal error serving {} {}", req.verb(), req.resource(), e);
            return new ApiResponse(500, ApiException.status(500, "InternalError",
                    "Internal error occurred: " + e, null));
        }
    }

    // ---- reads

    private ObjectNode get(ResourceKind kind, ApiRequest req) {
        checkScope(kind, req.namespace());
        KeyValue kv = store.get(key(kind, req.namespace(), req.name()), 0);
        if (kv == null) {
            throw Errors.notFound(kind, req.name());
        }
        return decode(kv);
    }

    private ObjectNode list(ResourceKind kind, ApiRequest req) {
        LabelSelector labels = labelSelector(req);
        FieldSelector fields = fieldSelector(kind, req);
        ListOptions.checkList(req);
        int limit = req.param("limit") == null ? 0 : parseInt("limit", req.param("limit"));
        String rv = req.param("resourceVersion");
        WatchCache cache = ListOptions.fromCache(req, limit) ? cache(kind) : null;
        if (cache != null) {
            CacheList cached = cache.list(Selection.of(req.namespace(), labels, fields.terms(), cache.config()), limit,
                    rv == null ? 0 : parseResourceVersion(rv), rv == null);
            if (cached != null) {
                ArrayNode items = Json.array();
                for (CachedObject o : cached.items()) {
                    items.add(new CachedObjectNode(o, o.modRevision(), cache.config().conversion()));
                }
                return listObject(kind, cached.revision(), cached.continueKey(), items);
            }
        }
        String prefix = prefix(kind, req.namespace());
        long atRevision = 0;
        String fromKey = null;
        String cont = req.param("continue");
        if (cont != null) {
            String[] token = ContinueToken.decode(cont);
            atRevision = Long.parseLong(token[0]);
            fromKey = token[1];
        } else if (rv != null && !rv.equals("0") && (ListOptions.EXACT.equals(req.param("resourceVersionMatch"))
                || req.param("resourceVersionMatch") == null && limit > 0)) {
            atRevision = parseResourceVersion(rv); // an exact read, or kube's legacy one: a limit and a version
        }
        ArrayNode items = Json.array();
        String next = null;
        long revision;
        // Filtering happens after the range, so read pages until the limit is filled with matches. Each range asks
        // for one key more than the page still needs, to know whether a next page exists.
        while (true) {
            RangeResult page = range(prefix, fromKey, atRevision, limit > 0 ? limit - items.size() + 1 : 0,
                    cont != null);
            revision = atRevision > 0 ? atRevision : page.revision();
            atRevision = revision;
            List<KeyValue> kvs = page.kvs();
            for (int i = 0; i < kvs.size(); i++) {
                if (limit > 0 && items.size() == limit) {
                    next = kvs.get(i).key();
                    break;
                }
                ObjectNode obj = decode(kvs.get(i));
                if (labels.matchesObject(obj) && fields.matches(obj)) {
                    items.add(obj);
                }
            }
            if (next != null || !page.more() || kvs.isEmpty()) {
                break; // a page for the client, or no key left after these
            }
            fromKey = kvs.get(kvs.size() - 1).key() + "\u0000";
            if (limit > 0 && items.size() == limit) {
                next = fromKey;
                break;
            }
        }
        return listObject(kind, revision, next, items);
    }

    private static ObjectNode listObject(ResourceKind kind, long revision, String next, ArrayNode items) {
        ObjectNode list = Json.object();
        list.put("kind", kind.listKind());
        list.put("apiVersion", kind.resource().apiVersion());
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", Long.toString(revision));
        if (next != null) {
            meta.put("continue", ContinueToken.encode(revision, next));
        }
        list.set("items", items);
        return list;
    }

    /** The watch cache of a kind, made on first use; null once the server is closed. */
    private WatchCache cache(ResourceKind kind) {
        Resource r = kind.resource();
        return caches.cache(r, () -> new CacheConfig(prefix(kind, null), r.namespaced(), r.kind(), r.apiVersion(),
                FieldSelector.selectableFields(r.kind()), r.equals(Resource.PODS) ? "spec.nodeName" : null, null));
    }

    /** A range for a list, with kube's 410 wording when its revision has been compacted (etcd3/errors.go). */
    private RangeResult range(String prefix, String fromKey, long atRevision, int limit, boolean continuing) {
        try {
            return store.range(prefix, fromKey, atRevision, limit);
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.COMPACTED && !continuing) {
                throw ApiException.of(410, "Expired", "The resourceVersion for the provided list is too old.");
            }
            throw e;
        }
    }

    // ---- writes

    private ObjectNode create(ResourceKind kind, ApiRequest req) {
        if (req.subresource() != null) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        ObjectNode obj = body(kind, req);
        checkScope(kind, req.namespace());
        ObjectNode meta = Json.with(obj, "metadata");
        setNamespace(kind, req.namespace(), meta);
        if (!meta.hasNonNull("name") || meta.path("name").asText().isEmpty()) {
            String generate = meta.path("generateName").asText("");
            if (generate.isEmpty()) {
                throw Errors.invalid(kind, "", List.of(FieldError.required("metadata.name",
                        "name or generateName is required")));
            }
            // kube cuts the prefix so that prefix and suffix fit in 63 characters (maxGeneratedNameLength).
            meta.put("name", (generate.length() > 58 ? generate.substring(0, 58) : generate) + randomSuffix());
        }
        String name = meta.path("name").asText();
        if (kind.resource().namespaced()) {
            requireNamespace(req.namespace(), kind, name);
        }
        meta.put("uid", randomUid());
        meta.put("creationTimestamp", now());
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        if (kind.strategy().tracksGeneration()) {
            meta.put("generation", 1);
        }
        kind.strategy().defaults(obj);
        kind.strategy().prepareForCreate(obj);
        validate(kind, obj);
        if ("All".equals(req.param("dryRun"))) {
            return obj;
        }
        String key = key(kind, req.namespace(), name);
        TxnResult r = store.txn(new Txn(List.of(dev.drydock.store.Compare.absent(key)),
                List.of(TxnOp.put(key, encode(obj))), List.of()));
        if (!r.succeeded()) {
            throw ApiException.of(409, "AlreadyExists",
                    kind.resource().qualifiedName() + " \"" + name + "\" already exists", kind.resource(), name);
        }
        return decode(r.results().get(0));
    }

    private ObjectNode update(ResourceKind kind, ApiRequest req) {
        ObjectNode incoming = body(kind, req);
        checkScope(kind, req.namespace());
        ObjectNode meta = Json.with(incoming, "metadata");
        setNamespace(kind, req.namespace(), meta);
        String name = meta.path("name").asText("");
        if (!name.equals(req.name())) {
            throw ApiException.of(400, "BadRequest", "the name of the object (" + name
                    + ") does not match the name on the URL (" + req.name() + ")");
        }
        String status = req.subresource();
        if (status != null && !(status.equals("status") && kind.hasStatus())) {
            throw Errors.notFound(kind, req.name());
        }
        String rv = Json.resourceVersion(incoming);
        // kube's registry Store.Update: a resourceVersion that parses to 0 means an unconditional update too.
        long expected = rv == null || rv.isEmpty() ? -1 : parseResourceVersion(rv);
        if (expected == 0) {
            expected = -1;
        }
        return write(kind, req.namespace(), name, expected, old -> merged(kind, old, incoming, status != null),
                "All".equals(req.param("dryRun")));
    }

    private ObjectNode patch(ResourceKind kind, ApiRequest req) {
        checkScope(kind, req.namespace());
        String type = req.contentType() == null ? "" : req.contentType().split(";")[0].trim();
        if (req.body() == null) {
            throw ApiException.of(400, "BadRequest", "the body of the request was in an unknown format");
        }
        boolean status = "status".equals(req.subresource());
        if (req.subresource() != null && !(status && kind.hasStatus())) {
            throw Errors.notFound(kind, req.name());
        }
        UnaryOperator<ObjectNode> apply = switch (type) {
            case Patches.MERGE -> old -> (ObjectNode) Patches.mergePatch(old, req.body());
            case Patches.JSON -> old -> (ObjectNode) Patches.jsonPatch(old, req.body());
            case Patches.STRATEGIC -> old -> (ObjectNode) StrategicMergePatch.apply(old, req.body());
            default -> throw ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown"
                    + " format - accepted media types include: application/json-patch+json, "
                    + "application/merge-patch+json, application/strategic-merge-patch+json (drydock does not do "
                    + "server-side apply yet)");
        };
        return write(kind, req.namespace(), req.name(), -1, old -> {
            JsonNode patched = apply.apply(old.deepCopy());
            if (!(patched instanceof ObjectNode result)) {
                throw ApiException.of(422, "Invalid", "the patch does not produce an object");
            }
            ObjectNode p = TypeMeta.of(kind, req.subresource()).patched(result, type.equals(Patches.STRATEGIC),
                    registry);
            String rv = Json.resourceVersion(p);
            if (rv != null && !rv.equals(Json.resourceVersion(old))) {
                throw Errors.conflict(kind, req.name());
            }
            return merged(kind, old, p, status);
        }, "All".equals(req.param("dryRun")));
    }

    /** The object an update stores: what the client may change, kept from {@code old} what it may not. */
    private ObjectNode merged(ResourceKind kind, ObjectNode old, ObjectNode incoming, boolean statusOnly) {
        ObjectNode next;
        if (statusOnly) {
            next = old.deepCopy();
            if (incoming.has("status")) {
                next.set("status", incoming.get("status"));
            } else {
                next.remove("status");
            }
        } else {
            next = incoming.deepCopy();
            if (kind.hasStatus()) {
                if (old.has("status")) {
                    next.set("status", old.get("status"));
                } else {
                    next.remove("status");
                }
            }
        }
        ObjectNode meta = Json.with(next, "metadata");
        ObjectNode oldMeta = (ObjectNode) old.get("metadata");
        for (String f : List.of("uid", "creationTimestamp", "namespace", "name", "deletionTimestamp",
                "deletionGracePeriodSeconds", "generation")) {
            if (oldMeta.has(f)) {
                meta.set(f, oldMeta.get(f));
            } else {
                meta.remove(f);
            }
        }
        meta.remove("resourceVersion");
        if (!statusOnly) {
            noNewFinalizersWhileDeleting(kind, old, next);
            kind.strategy().defaults(next);
            if (kind.strategy().tracksGeneration() && !Semantic.equal(next.path("spec"), old.path("spec"))) {
                meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
            }
        }
        validate(kind, next);
        if (Json.isDeleting(next) && !hasFinalizers(kind, next)) {
            return null; // the last finalizer is gone from an object being deleted: delete it now
        }
        return next;
    }

    /** As kube's ValidateNoNewFinalizers: once an object is being deleted, finalizers may only go away. */
    private static void noNewFinalizersWhileDeleting(ResourceKind kind, ObjectNode old, ObjectNode next) {
        if (!Json.isDeleting(old)) {
            return;
        }
        Set<String> before = new HashSet<>();
        old.path("metadata").path("finalizers").forEach(f -> before.add(f.asText()));
        TreeSet<String> added = new TreeSet<>();
        next.path("metadata").path("finalizers").forEach(f -> {
            if (!before.contains(f.asText())) {
                added.add(f.asText());
            }
        });
        if (!added.isEmpty()) {
            StringBuilder go = new StringBuilder("[]string{");
            for (String f : added) {
                go.append(go.length() > 9 ? ", " : "").append('"').append(f).append('"');
            }
            throw Errors.invalid(kind, Json.name(old), List.of(FieldError.forbidden("metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new finalizers "
                            + go.append('}'))));
        }
    }

    /**
     * Read-modify-write of one object with compare-and-swap, as kube's {@code GuaranteedUpdate}: retries when the
     * object changed in between, unless the client named the version it expects ({@code expected} >= 0).
     * {@code change} returns the new object, or {@code null} to delete it.
     */
    private ObjectNode write(ResourceKind kind, String namespace, String name, long expected,
                             UnaryOperator<ObjectNode> change, boolean dryRun) {
        String key = key(kind, namespace, name);
        while (true) {
            KeyValue current = store.get(key, 0);
            if (current == null) {
                throw Errors.notFound(kind, name);
            }
            if (expected >= 0 && current.modRevision() != expected) {
                throw Errors.conflict(kind, name);
            }
            ObjectNode old = decode(current);
            ObjectNode next = change.apply(old.deepCopy());
            if (dryRun) {
                return next == null ? old : next;
            }
            if (next == null) {
                TxnResult r = store.txn(new Txn(
                        List.of(dev.drydock.store.Compare.modRevision(key, dev.drydock.store.Compare.Op.EQUAL,
                                current.modRevision())),
                        List.of(TxnOp.delete(key)), List.of()));
                if (r.succeeded()) {
                    ObjectNode gone = decode(r.results().get(0));
                    Json.with(gone, "metadata").put("resourceVersion", Long.toString(r.revision()));
                    return gone;
                }
                continue;
            }
            Json.with(old, "metadata").remove("resourceVersion");
            Json.with(next, "metadata").remove("resourceVersion"); // the store's revision is the version
            // kube compares the encoded objects, whose field order is fixed by the Go types and whose numbers,
            // quantities and empty fields are normalized by them; drydock's trees are not, so compare semantically.
            if (Semantic.equal(next, old)) {
                return decode(current); // no change: kube writes nothing and keeps the resourceVersion
            }
            TxnResult r = store.txn(Txn.putIfModRevision(key, current.modRevision(), encode(next)));
            if (r.succeeded()) {
                return decode(r.results().get(0));
            }
        }
    }

    private ApiResponse bind(ResourceKind kind, ApiRequest req) {
        if (!kind.resource().equals(Resource.PODS)) {
            throw Errors.notFound(kind, req.name());
        }
        ObjectNode binding = body(kind, req);
        String node = Json.text(binding, "target", "name");
        if (node == null || node.isEmpty()) {
            throw Errors.invalid(kind, req.name(), List.of(FieldError.required("target.name", "")));
        }
        write(kind, req.namespace(), req.name(), -1, pod -> {
            if (Json.isDeleting(pod)) {
                throw Errors.bindingConflict(req.name(), "pod " + req.name() + " is being deleted, cannot be assigned to a "
                        + "host");
            }
            String assigned = Json.text(pod, "spec", "nodeName");
            if (assigned != null && !assigned.isEmpty()) {
                throw Errors.bindingConflict(req.name(), "pod " + req.name() + " is already assigned to node \"" + assigned
                        + "\"");
            }
            Json.with(pod, "spec").put("nodeName", node);
            ArrayNode conditions = Json.withArray(Json.with(pod, "status"), "conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
                    conditions.remove(i);
                }
            }
            conditions.addObject().put("type", "PodScheduled").put("status", "True")
                    .putNull("lastProbeTime").put("lastTransitionTime", now());
            return pod;
        }, false);
        ObjectNode ok = Json.object();
        ok.put("kind", "Status");
        ok.put("apiVersion", "v1");
        ok.putObject("metadata");
        ok.put("status", "Success");
        ok.put("code", 201);
        return new ApiResponse(201, ok);
    }

    private ObjectNode delete(ResourceKind kind, String namespace, String name, boolean dryRun) {
        checkScope(kind, namespace);
        return write(kind, namespace, name, -1, obj -> {
            if (!hasFinalizers(kind, obj)) {
                return null;
            }
            // Finalizers hold the object: mark it as being deleted and let their owners finish.
            ObjectNode meta = Json.with(obj, "metadata");
            if (!meta.has("deletionTimestamp")) {
                meta.put("deletionTimestamp", now());
                meta.put("deletionGracePeriodSeconds", 0);
            }
            if (kind.resource().equals(Resource.NAMESPACES)) {
                Json.with(obj, "status").put("phase", "Terminating");
            }
            return obj;
        }, dryRun);
    }

    /**
     * What a delete answers, as kube's registry {@code finalizeDelete}: the object while finalizers hold it or for
     * kinds that return it, else a {@code Status} of Success naming it (with {@code kind} set to the resource).
     */
    private static ObjectNode deleted(ResourceKind kind, ObjectNode obj) {
        if (kind.strategy().returnsDeletedObject() || hasFinalizers(kind, obj)) {
            return obj;
        }
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", Json.name(obj));
        if (!kind.resource().group().isEmpty()) {
            details.put("group", kind.resource().group());
        }
        details.put("kind", kind.resource().plural());
        details.put("uid", Json.uid(obj));
        return status;
    }

    /** Whether finalizers still hold the object (for a namespace, also its {@code spec.finalizers}). */
    private static boolean hasFinalizers(ResourceKind kind, ObjectNode obj) {
        JsonNode finalizers = Json.at(obj, "metadata", "finalizers");
        return finalizers != null && !finalizers.isEmpty() || kind.resource().equals(Resource.NAMESPACES)
                && !obj.path("spec").path("finalizers").isEmpty();
    }

    private ObjectNode deleteCollection(ResourceKind kind, ApiRequest req) {
        ObjectNode list = list(kind, req);
        for (JsonNode item : list.path("items")) {
            try {
                delete(kind, Json.namespace(item), Json.name(item), "All".equals(req.param("dryRun")));
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return list;
    }

    /**
     * The {@code scale} subresource: the object seen as an {@code autoscaling/v1} Scale, whose
     * {@code spec.replicas} reads and writes the object's.
     */
    private ObjectNode scale(ResourceKind kind, ApiRequest req) {
        if (!kind.subresources().contains("scale")) {
            throw Errors.notFound(kind, req.name());
        }
        checkScope(kind, req.namespace());
        ObjectNode written = switch (req.verb()) {
            case GET -> get(kind, req);
            case UPDATE, PATCH -> {
                ObjectNode update = req.verb() == ApiRequest.Verb.UPDATE ? body(kind, req) : null;
                String rv = update != null ? Json.resourceVersion(update) : null;
                long expected = rv == null || rv.isEmpty() ? -1 : parseResourceVersion(rv);
                yield write(kind, req.namespace(), req.name(), expected, obj -> {
                    ObjectNode before = obj.deepCopy();
                    JsonNode scale = toScale(obj);
                    if (req.verb() == ApiRequest.Verb.PATCH) {
                        String type = req.contentType() == null ? "" : req.contentType().split(";")[0].trim();
                        scale = switch (type) {
                            case Patches.MERGE -> Patches.mergePatch(scale, req.body());
                            case Patches.STRATEGIC -> StrategicMergePatch.apply(scale, req.body());
                            case Patches.JSON -> Patches.jsonPatch(scale, req.body());
                            default -> throw ApiException.of(415, "UnsupportedMediaType", "the body of the request"
                                    + " was in an unknown format");
                        };
                        if (scale instanceof ObjectNode result) {
                            scale = TypeMeta.SCALE.patched(result, type.equals(Patches.STRATEGIC), registry);
                        }
                    } else {
                        scale = update;
                    }
                    JsonNode replicas = scale.path("spec").path("replicas");
                    if (!replicas.isIntegralNumber() || replicas.asLong() < 0) {
                        throw Errors.invalid(kind, req.name(), List.of(FieldError.invalid("spec.replicas",
                                replicas.toString(), "must be greater than or equal to 0")));
                    }
                    Json.with(obj, "spec").put("replicas", replicas.asLong());
                    return merged(kind, before, obj, false); // a spec change: generation moves on
                }, "All".equals(req.param("dryRun")));
            }
            default -> throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the "
                    + "requested resource");
        };
        return toScale(written);
    }

    private static ObjectNode toScale(ObjectNode obj) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            JsonNode v = Json.at(obj, "metadata", f);
            if (v != null) {
                meta.set(f, v);
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asLong(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", obj.path("status").path("replicas").asLong(0));
        String selector = LabelSelector.toString(obj.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    // ---- watch

    @Override
    public Watch watch(ApiRequest req, WatchHandler handler) {
        ResourceKind kind = kindOf(req.resource());
        LabelSelector labels = labelSelector(req);
        FieldSelector fields = fieldSelector(kind, req);
        WatchOptions options = ListOptions.watch(req);
        try {
            WatchCache cache = cache(kind);
            if (cache == null) {
                throw ApiException.of(503, "ServiceUnavailable", "the API server is shutting down");
            }
            return cache.watch(Selection.of(req.namespace(), labels, fields.terms(), cache.config()), options,
                    handler);
        } catch (StoreException e) {
            throw Errors.storeError(e);
        }
    }

    // ---- helpers

    private ResourceKind kindOf(Resource resource) {
        ResourceKind kind = registry.find(resource);
        if (kind == null) {
            throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
        }
        return kind;
    }

    private ObjectNode body(ResourceKind kind, ApiRequest req) {
        if (!(req.body() instanceof ObjectNode body)) {
            throw ApiException.of(400, "BadRequest", "the body of the request was in an unknown format");
        }
        // kube's decode step: kind and apiVersion from the path where the body has none (a copy of the body)
        ObjectNode obj = TypeMeta.of(kind, req.subresource()).decode(body, registry);
        JsonNode meta = obj.get("metadata");
        if (meta != null && !meta.isObject() && !meta.isNull()) {
            throw ApiException.of(400, "BadRequest", "json: cannot unmarshal " + meta.getNodeType().name()
                    .toLowerCase() + " into Go struct field " + kind.resource().kind() + ".metadata of type "
                    + "v1.ObjectMeta");
        }
        if (meta == null || meta.isNull()) {
            obj.putObject("metadata");
        }
        return obj;
    }

    private void setNamespace(ResourceKind kind, String namespace, ObjectNode meta) {
        if (!kind.resource().namespaced()) {
            meta.remove("namespace");
            return;
        }
        String inBody = meta.path("namespace").asText("");
        if (!inBody.isEmpty() && !inBody.equals(namespace)) {
            throw ApiException.of(400, "BadRequest", "the namespace of the provided object does not match the "
                    + "namespace sent on the request");
        }
        meta.put("namespace", namespace);
    }

    private void checkScope(ResourceKind kind, String namespace) {
        boolean hasNs = namespace != null && !namespace.isEmpty();
        if (kind.resource().namespaced() != hasNs && !(kind.resource().namespaced() && !hasNs)) {
            throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
        }
        if (kind.resource().namespaced() && !hasNs) {
            throw ApiException.of(400, "BadRequest", "a namespace is required for " + kind.resource().plural());
        }
    }

    private void requireNamespace(String namespace, ResourceKind kind, String name) {
        KeyValue ns = store.get(key(registry.find(Resource.NAMESPACES), null, namespace), 0);
        if (ns == null) {
            throw ApiException.of(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                    Resource.NAMESPACES, namespace);
        }
        if (Json.isDeleting(decode(ns))) {
            // As kube's NamespaceLifecycle admission: errors.NewForbidden(resource, name, err).
            throw ApiException.of(403, "Forbidden", kind.resource().qualifiedName() + " \"" + name
                    + "\" is forbidden: unable to create new content in namespace " + namespace
                    + " because it is being terminated", kind.resource(), name);
        }
    }

    private void validate(ResourceKind kind, ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>();
        String name = Json.name(obj);
        if (name != null) {
            if (kind.strategy().nameIsLabel()) {
                Validation.dns1123Label("metadata.name", name, errors);
            } else {
                Validation.dns1123Subdomain("metadata.name", name, errors);
            }
        }
        Validation.labels("metadata.labels", Json.at(obj, "metadata", "labels"), errors);
        Validation.annotations("metadata.annotations", Json.at(obj, "metadata", "annotations"), errors);
        kind.strategy().validate(obj, errors);
        if (!errors.isEmpty()) {
            throw Errors.invalid(kind, name == null ? "" : name, errors);
        }
    }

    private LabelSelector labelSelector(ApiRequest req) {
        try {
            return LabelSelector.parse(req.param("labelSelector"));
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", "unable to parse requirement: " + e.getMessage());
        }
    }

    private FieldSelector fieldSelector(ResourceKind kind, ApiRequest req) {
        try {
            return FieldSelector.parse(req.param("fieldSelector"), kind.resource().kind());
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", e.getMessage());
        }
    }

    private static long parseResourceVersion(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "BadRequest", "invalid resource version: " + rv);
        }
    }

    private static int parseInt(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.of(400, "BadRequest", "invalid " + name + ": " + value);
        }
    }

    /** A version 4 (random) UUID, as kube's {@code uuid.NewUUID}, drawn from the cluster's seed. */
    private String randomUid() {
        long msb = random.nextLong() & ~0xF000L | 0x4000L;
        long lsb = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private String randomSuffix() {
        StringBuilder s = new StringBuilder(5);
        synchronized (random) {
            for (int i = 0; i < 5; i++) {
                s.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
            }
        }
        return s.toString();
    }

    private String now() {
        return clock.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String key(ResourceKind kind, String namespace, String name) {
        return prefix(kind, namespace) + name;
    }

    static String prefix(ResourceKind kind, String namespace) {
        Resource r = kind.resource();
        String base = "/registry/" + (r.group().isEmpty() ? "core" : r.group()) + "/" + r.plural() + "/";
        return r.namespaced() && namespace != null && !namespace.isEmpty() ? base + namespace + "/" : base;
    }

    private static byte[] encode(ObjectNode obj) {
        return Json.bytes(obj);
    }

    /** The stored object with its resourceVersion: the store's mod revision, as kube's etcd3 storage sets it. */
    private ObjectNode decode(KeyValue kv) {
        ObjectNode obj = Json.parseTrusted(kv.value());
        Json.with(obj, "metadata").put("resourceVersion", Long.toString(kv.modRevision()));
        return obj;
    }

    private static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body);
    }

    private static ApiResponse created(ObjectNode body) {
        return new ApiResponse(201, body);
    }
}
