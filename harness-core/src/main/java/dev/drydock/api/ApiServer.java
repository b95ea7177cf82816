package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.crd.CustomResourceDefinitions;
import dev.drydock.api.openapi.UnknownFields;
import dev.drydock.api.cache.CacheConfig;
import dev.drydock.api.cache.CacheList;
import dev.drydock.api.cache.CachedObject;
import dev.drydock.api.cache.CachedObjectNode;
import dev.drydock.api.cache.Selection;
import dev.drydock.api.cache.CachedObjectNode;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.api.cache.WatchCaches;
import dev.drydock.api.cache.WatchOptions;
import dev.drydock.api.auth.Identities;
import dev.drydock.api.auth.TokenAuthenticator;
import dev.drydock.base.Clock;
import dev.drydock.base.Seeds;
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
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
public final class ApiServer implements Transport, ResourceStorage, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** kube-apiserver's {@code --min-request-timeout}: a watch that names no timeout ends after 1 to 2 times it. */
    public static final Duration DEFAULT_MIN_REQUEST_TIMEOUT = Duration.ofMinutes(30);
    /** How often a write that keeps losing claims is started again before it fails with a conflict. */
    private static final int MAX_CLAIM_ATTEMPTS = 16;

    private final Store store;
    private final KindRegistry registry;
    private final Clock clock;
    private final ObjectIds ids;
    private final List<Admission> admission;
    private final ServiceAccountTokens serviceAccountTokens;
    private final WatchCaches caches;
    private volatile TokenAuthenticator tokenAuthenticator = TokenAuthenticator.NONE;
    private final EventLeases eventLeases;
    // request-path hooks: whose a request is, and what it meets on its way in
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService clockTimer;
    /** Draws the default timeout of each watch that names none; seeded, drawn in the order watches start. */
    private final SplittableRandom watchTimeouts; // guarded by itself
    private volatile Duration minRequestTimeout = DEFAULT_MIN_REQUEST_TIMEOUT;
    private final Identities identities;
    private final Map<Network, ClientTransports> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile RequestInterceptor interceptor = RequestInterceptor.NONE;
    private final ApiErrors recentErrors;

    /**
     * An API server all of whose timers run on {@code timer}.
     *
     * @param timer      runs watch timeouts, bookmarks, a cut watch's break, and retries against the store
     * @param seed       the cluster's seed: uids and generated names come from it, so that a run can be replayed
     * @param watchLanes the shared, bounded pool on which watch events are handed to watchers, one lane per watcher
     */
    public ApiServer(Store store, KindRegistry registry, Clock clock, ScheduledExecutorService timer, long seed,
                     Executor watchLanes) {
        this(store, registry, clock, timer, timer, seed, watchLanes, WatchCache.Settings.defaults());
    }

    /** An API server whose watch caches have other settings than kube's (tests use a small window or buffer). */
    public ApiServer(Store store, KindRegistry registry, Clock clock, ScheduledExecutorService timer, long seed,
                     Executor watchLanes, WatchCache.Settings cacheSettings) {
        this(store, registry, clock, timer, timer, seed, watchLanes, cacheSettings);
    }

    /**
     * An API server whose timers are split by what waits for them (see {@code ManualClock}): what a client or the
     * server decides by the cluster's time runs on {@code clockTimer}, what waits for the store (whose Raft keeps real
     * time) on {@code timer}.
     *
     * @param timer      runs retries against the store and waits for it (reloads of a watch cache, a timed-out
     *                   watch's wait for its last bookmark, custom resources' establishing)
     * @param clockTimer runs, on the cluster's clock, watch timeouts ({@code timeoutSeconds} and the default one of
     *                   {@link #minRequestTimeout(Duration)}), bookmarks, and the break of a watch whose link is cut
     */
    public ApiServer(Store store, KindRegistry registry, Clock clock, ScheduledExecutorService timer,
                     ScheduledExecutorService clockTimer, long seed, Executor watchLanes,
                     WatchCache.Settings cacheSettings) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.recentErrors = new ApiErrors(clock, ApiErrors.DEFAULT_CAPACITY);
        this.admission = List.of(new NamespaceLifecycle(clock));
        this.ids = new ObjectIds(seed, store::revision);
        this.serviceAccountTokens = new ServiceAccountTokens(seed);
        this.timer = timer;
        this.clockTimer = clockTimer;
        this.watchTimeouts = Seeds.generator(seed, "api/watch-timeouts");
        this.identities = new Identities(seed);
        this.tokenAuthenticator = (token, audiences, storage) -> identities.byToken(token)
                .filter(id -> audiences.isEmpty() || audiences.contains(ServiceAccountTokens.ISSUER))
                .map(id -> new TokenAuthenticator.Authenticated(id.user(), List.of(ServiceAccountTokens.ISSUER)))
                .or(() -> authenticateServiceAccount(token, audiences, storage));
        registry.add(CustomResourceDefinitions.descriptor(this, timer));
        this.caches = new WatchCaches(store, clock, timer, clockTimer, watchLanes, cacheSettings);
        this.eventLeases = new EventLeases(store, clock);
    }

    /**
     * The default timeout of a watch that names no {@code timeoutSeconds} (kube-apiserver's
     * {@code --min-request-timeout}, 30 min unless set): each such watch ends, as kube's do, after a time drawn evenly
     * from {@code [timeout, 2 * timeout)} with the cluster's seed, on the cluster's clock, so that clients list and
     * watch again now and then. Zero: such watches never time out.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void minRequestTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("a minimum request timeout is zero or more, not " + timeout);
        }
        this.minRequestTimeout = timeout;
    }

    /** The timeout, in seconds, of a watch that names none: 0 for none. */
    private long defaultWatchTimeoutSeconds() {
        long min = minRequestTimeout.toSeconds();
        if (min <= 0) {
            return 0;
        }
        synchronized (watchTimeouts) {
            return min + watchTimeouts.nextLong(min);
        }
    }

    /**
     * How long an Event lives after its last write (kube-apiserver's {@code --event-ttl}; 1 h unless set): every write
     * of an Event, core/v1 or events.k8s.io/v1, attaches it to a store lease of that TTL.
     */
    public void eventTtl(Duration ttl) {
        eventLeases.ttl(ttl);
    }

    /** The store lease a write of {@code kind} attaches its object to: an Event's, or none ({@code 0}). */
    private long leaseFor(KindDescriptor kind) {
        return kind.storedAs().equals(Resource.EVENTS) ? eventLeases.lease() : 0;
    }

    /**
     * Runs a write, and once more with a new lease if the store no longer knows the lease it named (kube's lease
     * manager would hand out a lease revoked behind its back until its reuse window ends; drydock's asks again).
     */
    private TxnResult txnWithLease(KindDescriptor kind, java.util.function.LongFunction<Txn> txn) {
        long lease = leaseFor(kind);
        try {
            return store.txn(txn.apply(lease));
        } catch (StoreException e) {
            if (lease == 0 || e.reason() != StoreException.Reason.LEASE_NOT_FOUND) {
                throw e;
            }
            LOG.warn("the store no longer knows event lease {}; writing with a new one", lease);
            eventLeases.forget(lease);
            return store.txn(txn.apply(leaseFor(kind)));
        }
    }

    /** Ends every watch it serves (their streams end normally) and stops its watch caches. */
    @Override
    public void close() {
        clients.values().forEach(ClientTransports::close);
        caches.close();
    }

    @Override
    public KindRegistry registry() {
        return registry;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public java.time.Instant now() {
        return clock.now();
    }

    @Override
    public ServiceAccountTokens serviceAccountTokens() {
        return serviceAccountTokens;
    }

    /**
     * kube's service account token authenticator: a token this server issued, for an account (and bound object)
     * that still exists, whose audiences meet those asked (the API server's own when none are asked).
     */
    private java.util.Optional<TokenAuthenticator.Authenticated> authenticateServiceAccount(String token,
            List<String> audiences, ResourceStorage storage) {
        return serviceAccountTokens.authenticate(token, storage).flatMap(claims -> {
            List<String> wanted = audiences.isEmpty() ? List.of(ServiceAccountTokens.ISSUER) : audiences;
            List<String> matched = wanted.stream().filter(claims.audiences()::contains).toList();
            if (matched.isEmpty()) {
                return java.util.Optional.empty();
            }
            Map<String, List<String>> extra = new LinkedHashMap<>();
            if (claims.boundObject() != null) {
                String kindKey = claims.boundObject().kind().toLowerCase();
                extra.put("authentication.kubernetes.io/" + kindKey + "-name", List.of(claims.boundObject().name()));
                extra.put("authentication.kubernetes.io/" + kindKey + "-uid", List.of(claims.boundObject().uid()));
            }
            return java.util.Optional.of(new TokenAuthenticator.Authenticated(dev.drydock.api.auth.UserInfo
                    .serviceAccount(claims.namespace(), claims.serviceAccountName(), claims.serviceAccountUid(),
                            extra), matched));
        });
    }

    /** What recognises bearer tokens in TokenReviews. */
    public TokenAuthenticator tokenAuthenticator() {
        return tokenAuthenticator;
    }

    /** Sets what recognises bearer tokens in TokenReviews (none by default). */
    void tokenAuthenticator(TokenAuthenticator authenticator) {
        this.tokenAuthenticator = authenticator;
    }

    /**
     * A transport for a party of the cluster (a node, the scheduler, the test, a client identity) whose requests cross
     * its link to the API server on {@code network} and pass the {@link #interceptor} as that party's.
     */
    public Transport transport(String party, Network network) {
        return clients.computeIfAbsent(network, n -> new ClientTransports(this, n, clockTimer, () -> interceptor))
                .transport(party);
    }

    /**
     * The most recent error responses to the parties' requests (those that pass {@link #transport}), the fault API's
     * included.
     */
    public ApiErrors recentErrors() {
        return recentErrors;
    }

    /** The client identities this server recognises by their bearer tokens (see {@link Identities}). */
    public Identities identities() {
        return identities;
    }

    /**
     * Sets what every client's request passes, attributed to its party (the fault API's rules); none by default.
     * Set once, as the cluster starts.
     */
    public void interceptor(RequestInterceptor interceptor) {
        this.interceptor = interceptor == null ? RequestInterceptor.NONE : interceptor;
    }

    @Override
    public Map<Resource, List<String>> discover() {
        Map<Resource, List<String>> resources = new LinkedHashMap<>();
        for (KindDescriptor k : registry.all()) {
            resources.put(k.resource(), k.verbs());
        }
        return resources;
    }

    @Override
    public ApiResponse call(ApiRequest req) {
        try {
            KindDescriptor kind = kindOf(req.resource());
            checkPathName(req.name());
            String sub = req.subresource();
            if (sub != null && !sub.equals("status")) {
                Subresource handler = kind.subresource(sub);
                if (handler == null) {
                    throw Errors.notFound(kind, req.name());
                }
                checkScope(kind, req.namespace());
                return handler.serve(req, kind, this);
            }
            if (sub == null) {
                checkVerb(kind, req.verb());
            }
            FieldManagement.checkOptions(req); // field management: fieldManager, force, dryRun
            return switch (req.verb()) {
                case GET -> ok(kind.computed() != null ? computedGet(kind, req) : get(kind, req));
                case LIST -> ok(kind.computed() != null ? computedList(kind, req) : list(kind, req));
                case CREATE -> {
                    List<String> warnings = new ArrayList<>();
                    ObjectNode created = kind.createOnly() != null ? answer(kind, req)
                            : create(kind, req, warnings);
                    yield new ApiResponse(201, created, warnings);
                }
                case UPDATE -> {
                    List<String> warnings = new ArrayList<>();
                    ObjectNode updated = update(kind, req, warnings);
                    yield new ApiResponse(200, updated, warnings);
                }
                case PATCH -> {
                    if (FieldManagement.isApply(req)) {
                        yield apply(kind, req); // server-side apply
                    }
                    List<String> warnings = new ArrayList<>();
                    ObjectNode patched = patch(kind, req, warnings);
                    yield new ApiResponse(200, patched, warnings);
                }
                case DELETE -> ok(deleted(kind, delete(kind, req.namespace(), req.name(), DeleteOptions.of(req))));
                case DELETE_COLLECTION -> ok(deleteCollection(kind, req));
                case WATCH -> throw ApiException.of(400, "BadRequest", "watch needs a streaming transport");
            };
        } catch (ApiException e) {
            return new ApiResponse(e.code(), e.status());
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.UNAVAILABLE) {
                LOG.warn("{} {}: the store did not answer in time: {}", req.verb(), req.resource(), e.getMessage());
            }
            ApiException a = Errors.storeError(e);
            return new ApiResponse(a.code(), a.status());
        } catch (RuntimeException e) {
            LOG.warn("internal error serving {} {}", req.verb(), req.resource(), e);
            return new ApiResponse(500, ApiException.status(500, "InternalError",
                    "Internal error occurred: " + e, null));
        }
    }

    // ---- reads

    /** A get of a kind computed when read ({@link KindDescriptor#computed()}). */
    private ObjectNode computedGet(KindDescriptor kind, ApiRequest req) {
        checkScope(kind, req.namespace());
        ObjectNode obj = kind.computed().get(req.namespace(), req.name());
        if (obj == null) {
            throw Errors.notFound(kind, req.name());
        }
        return obj;
    }

    /** A list of a kind computed when read: what it computes, with the request's label and field selectors. */
    private ObjectNode computedList(KindDescriptor kind, ApiRequest req) {
        LabelSelector labels = labelSelector(req);
        FieldSelector fields = fieldSelector(kind, req);
        ObjectNode list = Json.object();
        Resource r = kind.resource();
        list.put("kind", kind.listKind()).put("apiVersion", r.apiVersion());
        list.putObject("metadata");
        com.fasterxml.jackson.databind.node.ArrayNode items = list.putArray("items");
        for (ObjectNode obj : kind.computed().list(req.namespace())) {
            if (labels.matches(obj.path("metadata").path("labels")) && fields.matches(obj)) {
                items.add(obj);
            }
        }
        return list;
    }

    private ObjectNode get(KindDescriptor kind, ApiRequest req) {
        checkScope(kind, req.namespace());
        return get(kind, req.namespace(), req.name());
    }

    @Override
    public ObjectNode get(KindDescriptor kind, String namespace, String name) {
        ObjectNode obj = find(kind, namespace, name);
        if (obj == null) {
            throw Errors.notFound(kind, name);
        }
        return obj;
    }

    @Override
    public ObjectNode find(KindDescriptor kind, String namespace, String name) {
        KeyValue kv = store.get(key(kind, namespace, name), 0);
        return kv == null ? null : decode(kind, kv);
    }

    @Override
    public long version(KindDescriptor kind, String namespace, String name) {
        KeyValue kv = store.get(key(kind, namespace, name), 0);
        return kv == null ? 0 : kv.modRevision();
    }

    @Override
    public long cachedVersion(KindDescriptor kind, String namespace, String name) {
        KeyValue kv = cached(kind, key(kind, namespace, name));
        return kv == null ? -1 : kv.modRevision();
    }

    @Override
    public ObjectNode findCached(KindDescriptor kind, String namespace, String name) {
        KeyValue kv = cached(kind, key(kind, namespace, name));
        return kv == null ? null : decode(kind, kv);
    }

    /** The object as the kind's watch cache holds it, or null when the cache is not filled or does not hold it. */
    private KeyValue cached(KindDescriptor kind, String key) {
        WatchCache cache = cache(kind);
        return cache == null ? null : cache.get(key);
    }

    @Override
    public List<ObjectNode> list(KindDescriptor kind, String namespace) {
        List<ObjectNode> items = new ArrayList<>();
        ApiRequest all = new ApiRequest(ApiRequest.Verb.LIST, kind.resource(), namespace, null, null, java.util.Map.of(),
                null, null);
        list(kind, all).path("items").forEach(i -> items.add((ObjectNode) i));
        return items;
    }

    private ObjectNode list(KindDescriptor kind, ApiRequest req) {
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
            if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
                throw ApiException.of(400, "BadRequest", "specifying resource version is not allowed when using "
                        + "continue");
            }
            String[] token = ContinueToken.decode(cont);
            atRevision = Long.parseLong(token[0]);
            fromKey = token[1];
            if (!fromKey.startsWith(prefix)) {
                // kube's decodeContinue: the token's key must lie under this list's prefix (another list's token,
                // or one walking out of it, is refused)
                throw ApiException.of(400, "BadRequest", "continue key is not valid: " + cont);
            }
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
                ObjectNode obj = decode(kind, kvs.get(i));
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

    private static ObjectNode listObject(KindDescriptor kind, long revision, String next, ArrayNode items) {
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
    /**
     * The watch cache of a kind: of its storage's prefix, decoded (and converted, for a kind stored as another)
     * once per event, with the fields its selectors may name; pods indexed by node.
     */
    private WatchCache cache(KindDescriptor kind) {
        Resource r = kind.resource();
        return caches.cache(r, () -> new CacheConfig(prefix(kind, null), r.namespaced(), r.kind(), r.apiVersion(),
                new java.util.TreeMap<>(kind.selectableFields()),
                kind.selectableFields().containsKey("spec.nodeName") && r.equals(Resource.PODS) ? "spec.nodeName"
                        : null,
                kind.conversion() == KindDescriptor.NONE ? null : kind.conversion()::fromStorage));
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

    /**
     * The create of a kind that is answered, not stored ({@link KindDescriptor#createOnly()}): the body decoded and
     * defaulted as for a create, then handed to the kind's answer; nothing is written.
     */
    private ObjectNode answer(KindDescriptor kind, ApiRequest req) {
        if (req.subresource() != null) {
            throw methodNotAllowed();
        }
        ObjectNode obj = body(kind, req);
        checkScope(kind, req.namespace());
        setNamespace(kind, req.namespace(), Json.with(obj, "metadata"));
        kind.strategy().defaults(obj);
        return kind.createOnly().answer(obj, req, this);
    }

    /**
     * A create, started again from the request when another write took a value its admission had chosen for it
     * (a claim, see {@link KindStrategy#claims}); its admission then chooses again, or refuses the value.
     */
    private ObjectNode create(KindDescriptor kind, ApiRequest req, List<String> warnings) {
        return createRetried(() -> {
            warnings.clear();
            return createOnce(kind, req, warnings);
        }, kind);
    }

    /** A create, run again (up to a bound) while it loses a claim to another write. */
    private ObjectNode createRetried(java.util.function.Supplier<ObjectNode> create, KindDescriptor kind) {
        for (int attempt = 1; ; attempt++) {
            try {
                return create.get();
            } catch (ClaimTaken e) {
                if (attempt == MAX_CLAIM_ATTEMPTS) {
                    throw Errors.conflict(kind, e.name);
                }
            }
        }
    }

    private ObjectNode createOnce(KindDescriptor kind, ApiRequest req, List<String> warnings) {
        if (req.subresource() != null) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        ObjectNode obj = body(kind, req);
        unknownFields(kind, obj, req, warnings);
        return createObject(kind, req, obj, FieldManagement.manager(req));
    }

    /**
     * Stores a new object decoded from a request: named, defaulted, admitted, validated. Its creation is recorded in
     * its {@code managedFields} for {@code manager}, unless that is null (an apply has recorded it already).
     */
    private ObjectNode createObject(KindDescriptor kind, ApiRequest req, ObjectNode obj, String manager) {
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
            String prefix = generate.length() > 58 ? generate.substring(0, 58) : generate;
            meta.put("name", prefix + ids.suffix(prefix(kind, meta.path("namespace").asText(null)), prefix));
        }
        String name = meta.path("name").asText();
        meta.put("uid", ids.uid(key(kind, meta.path("namespace").asText(null), name)));
        meta.put("creationTimestamp", nowText());
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        if (kind.strategy().tracksGeneration()) {
            meta.put("generation", 1);
        }
        kind.strategy().defaults(obj);
        if (manager != null) {
            kind.fieldManager().update(null, obj, manager, null, clock.now()); // field management, after defaults
        }
        kind.strategy().prepareForCreate(obj);
        admit(Admission.Operation.CREATE, kind, obj, null);
        validate(kind, obj, null);
        if ("All".equals(req.param("dryRun"))) {
            return obj;
        }
        String key = key(kind, req.namespace(), name);
        Set<String> claims = kind.strategy().claims(obj);
        List<dev.drydock.store.Compare> compares = List.of(dev.drydock.store.Compare.absent(key));
        byte[] encoded = encoded(kind, obj);
        TxnResult r = txnWithLease(kind, lease -> {
            List<TxnOp> ops = new ArrayList<>(List.of(TxnOp.put(key, encoded, lease)));
            List<dev.drydock.store.Compare> cs = new ArrayList<>(compares);
            if (!claims.isEmpty()) {
                claimOps(key, Set.of(), claims, cs, ops);
            }
            return new Txn(cs, ops, List.of());
        });
        if (!r.succeeded()) {
            if (claims.isEmpty() || store.get(key, 0) != null) {
                throw ApiException.of(409, "AlreadyExists",
                        kind.resource().qualifiedName() + " \"" + name + "\" already exists", kind.resource(), name);
            }
            throw new ClaimTaken(name);
        }
        ObjectNode stored = decode(kind, r.results().get(0));
        kind.strategy().afterCommit(null, stored);
        return stored;
    }

    /** A create that lost a claim to a concurrent write; it is started again. */
    private static final class ClaimTaken extends RuntimeException {
        final String name;

        ClaimTaken(String name) {
            super(null, null, false, false);
            this.name = name;
        }
    }

    /** The store key of a claim: beside kube's own allocation keys, {@code /registry/ranges/serviceips}. */
    private static String claimKey(String claim) {
        return "/registry/ranges/" + claim;
    }

    /**
     * Adds to a transaction what moving an object's claims from {@code before} to {@code after} takes: each new
     * claim only if no one holds it, held by the object's key; each released claim deleted.
     */
    private static void claimOps(String owner, Set<String> before, Set<String> after,
                                 List<dev.drydock.store.Compare> compares, List<TxnOp> ops) {
        byte[] ownerBytes = owner.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String claim : after) {
            if (!before.contains(claim)) {
                compares.add(dev.drydock.store.Compare.absent(claimKey(claim)));
                ops.add(TxnOp.put(claimKey(claim), ownerBytes));
            }
        }
        for (String claim : before) {
            if (!after.contains(claim)) {
                ops.add(TxnOp.delete(claimKey(claim)));
            }
        }
    }

    @Override
    public boolean claimFree(KindDescriptor kind, String namespace, String name, String claim) {
        KeyValue holder = store.get(claimKey(claim), 0);
        return holder == null || new String(holder.value(), java.nio.charset.StandardCharsets.UTF_8)
                .equals(key(kind, namespace, name));
    }

    private ObjectNode update(KindDescriptor kind, ApiRequest req, List<String> warnings) {
        ObjectNode incoming = body(kind, req);
        unknownFields(kind, incoming, req, warnings);
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
        String manager = FieldManagement.manager(req);
        return write(kind, req.namespace(), name, expected, old -> merged(kind, old, incoming, status != null,
                        next -> kind.fieldManager().update(old, next, manager, status, clock.now())),
                "All".equals(req.param("dryRun")));
    }

    private ObjectNode patch(KindDescriptor kind, ApiRequest req, List<String> warnings) {
        checkScope(kind, req.namespace());
        String type = Patches.mediaType(req);
        if (req.body() == null) {
            throw ApiException.of(400, "BadRequest", "the body of the request was in an unknown format");
        }
        boolean status = "status".equals(req.subresource());
        if (req.subresource() != null && !(status && kind.hasStatus())) {
            throw Errors.notFound(kind, req.name());
        }
        Patches.checkType(type); // an unknown patch type is a 415 before any read
        if (kind.schema() != null && type.equals(Patches.STRATEGIC)) {
            // kube's custom resource handler takes no strategic merge patch: there is no Go type to merge by.
            throw ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml");
        }
        return write(kind, req.namespace(), req.name(), -1, old -> {
            JsonNode patched = Patches.apply(type, old.deepCopy(), req.body());
            if (!(patched instanceof ObjectNode result)) {
                throw ApiException.of(422, "Invalid", "the patch does not produce an object");
            }
            ObjectNode p = TypeMeta.of(kind, req.subresource()).patched(result, type.equals(Patches.STRATEGIC),
                    registry);
            warnings.clear(); // a retried compare-and-swap judges the object again
            unknownFields(kind, p, req, warnings);
            String rv = Json.resourceVersion(p);
            if (rv != null && !rv.equals(Json.resourceVersion(old))) {
                throw Errors.conflict(kind, req.name());
            }
            return merged(kind, old, p, status, next -> kind.fieldManager().update(old, next,
                    FieldManagement.manager(req), req.subresource(), clock.now()));
        }, "All".equals(req.param("dryRun")));
    }

    // ---- server-side apply

    /**
     * A server-side apply ({@code application/apply-patch+yaml}): the configuration merged into the object by the
     * kind's field manager, then stored as an update is (or, for an object that does not exist, as a create is:
     * kube's {@code forceAllowCreate}, 201). Through the {@code status} subresource only the status changes.
     */
    private ApiResponse apply(KindDescriptor kind, ApiRequest req) {
        checkScope(kind, req.namespace());
        boolean status = "status".equals(req.subresource());
        if (req.subresource() != null && !(status && kind.hasStatus())) {
            throw Errors.notFound(kind, req.name());
        }
        ObjectNode config = dev.drydock.api.apply.ApplyConfiguration.decode(req.body());
        String manager = req.param("fieldManager");
        boolean force = FieldManagement.force(req);
        boolean dryRun = "All".equals(req.param("dryRun"));
        dev.drydock.api.apply.FieldManager fields = kind.fieldManager();
        for (int attempt = 1; ; attempt++) {
            if (!status && find(kind, req.namespace(), req.name()) == null) {
                try {
                    ObjectNode created = createRetried(() -> {
                        ObjectNode applied = fields.apply(null, config, manager, force, null, clock.now());
                        checkAppliedIdentity(kind, req, applied, true);
                        return createObject(kind, req, applied, null);
                    }, kind);
                    return new ApiResponse(201, created);
                } catch (ApiException e) {
                    if (!"AlreadyExists".equals(e.reason()) || attempt == MAX_CLAIM_ATTEMPTS) {
                        throw e;
                    }
                    continue; // created meanwhile: apply to it
                }
            }
            try {
                return new ApiResponse(200, write(kind, req.namespace(), req.name(), -1, old -> {
                    ObjectNode applied = fields.apply(old, config, manager, force, req.subresource(), clock.now());
                    checkAppliedIdentity(kind, req, applied, false);
                    String rv = Json.resourceVersion(applied);
                    if (rv != null && !rv.equals(Json.resourceVersion(old))) {
                        throw Errors.conflict(kind, req.name());
                    }
                    return merged(kind, old, applied, status,
                            next -> FieldManagement.copyManagedFields(applied, next));
                }, dryRun));
            } catch (ApiException e) {
                if (!e.isNotFound() || status || attempt == MAX_CLAIM_ATTEMPTS
                        || find(kind, req.namespace(), req.name()) != null) {
                    throw e;
                }
                // deleted meanwhile: create it
            }
        }
    }

    /**
     * kube's checks of an applied object's identity: the namespace and name of the request, and no uid for an object
     * that does not exist.
     */
    private void checkAppliedIdentity(KindDescriptor kind, ApiRequest req, ObjectNode applied, boolean creating) {
        ObjectNode meta = Json.with(applied, "metadata");
        if (creating && !meta.path("uid").asText("").isEmpty()) {
            throw ApiException.of(409, "Conflict", "Operation cannot be fulfilled on "
                    + kind.resource().qualifiedName() + " \"" + req.name() + "\": uid mismatch: the provided object "
                    + "specified uid " + meta.path("uid").asText() + ", and no existing object was found",
                    kind.resource(), req.name());
        }
        if (kind.resource().namespaced()) {
            setNamespace(kind, req.namespace(), meta);
        } else {
            meta.remove("namespace");
        }
        String name = meta.path("name").asText("");
        if (!name.equals(req.name())) {
            throw ApiException.of(400, "BadRequest", "the name of the object (" + name
                    + ") does not match the name on the URL (" + req.name() + ")");
        }
    }

    @Override
    public ObjectNode updated(KindDescriptor kind, ObjectNode old, ObjectNode incoming) {
        return merged(kind, old, incoming, false, next -> { });
    }

    /**
     * The object an update stores: what the client may change, kept from {@code old} what it may not.
     * {@code managedFields} records the write in the object's {@code managedFields} (after defaulting, before
     * admission, as kube's field manager runs).
     */
    private ObjectNode merged(KindDescriptor kind, ObjectNode old, ObjectNode incoming, boolean statusOnly,
                              java.util.function.Consumer<ObjectNode> managedFields) {
        ObjectNode next;
        if (statusOnly) {
            next = old.deepCopy();
            if (incoming.has("status")) {
                next.set("status", incoming.get("status"));
            } else {
                next.remove("status");
            }
            kind.strategy().prepareForStatusUpdate(next, old, clock.now());
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
            kind.strategy().prepareForUpdate(next, old);
            kind.strategy().defaults(next);
            if (kind.strategy().tracksGeneration() && kind.strategy().specChanged(next, old)) {
                meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
            }
        }
        managedFields.accept(next);
        admit(Admission.Operation.UPDATE, kind, next, old);
        validate(kind, next, old);
        // kube's ShouldDeleteDuringUpdate: the last finalizer gone from an object being deleted with no grace
        // period left (a pod in its graceful termination stays until its kubelet deletes it).
        if (Json.isDeleting(next) && !hasFinalizers(kind, next)
                && next.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0) {
            return null; // the last finalizer is gone from an object being deleted: delete it now
        }
        return next;
    }

    /** As kube's ValidateNoNewFinalizers: once an object is being deleted, finalizers may only go away. */
    private static void noNewFinalizersWhileDeleting(KindDescriptor kind, ObjectNode old, ObjectNode next) {
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
    @Override
    public ObjectNode write(KindDescriptor kind, String namespace, String name, long expected,
                             UnaryOperator<ObjectNode> change, boolean dryRun) {
        String key = key(kind, namespace, name);
        int lostClaims = 0;
        // As kube's Cacher: the first attempt starts from the watch cache's copy, which may be stale; a compare that
        // fails, a refusal or a change that changes nothing are then checked against the store before they count.
        // A dry run reads the store, as kube's dry-run storage does.
        KeyValue current = dryRun ? null : cached(kind, key);
        boolean fresh = current == null;
        while (true) {
            if (fresh) {
                current = store.get(key, 0);
            }
            if (current == null) {
                throw Errors.notFound(kind, name);
            }
            if (expected >= 0 && current.modRevision() != expected) {
                if (!fresh) {
                    fresh = true;
                    continue;
                }
                throw Errors.conflict(kind, name);
            }
            ObjectNode old = decode(kind, current);
            dev.drydock.api.apply.SharedEntries.share(old); // field management: its copies share managedFields
            ObjectNode next;
            try {
                next = change.apply(old.deepCopy());
            } catch (RuntimeException e) {
                if (!fresh) {
                    fresh = true; // refused what may be an old version: ask again of the current one
                    continue;
                }
                throw e;
            }
            if (dryRun) {
                return next == null ? old : next;
            }
            Set<String> claimsBefore = kind.strategy().claims(old);
            if (next == null) {
                List<TxnOp> ops = List.of(TxnOp.delete(key));
                if (!claimsBefore.isEmpty()) {
                    ops = new ArrayList<>(ops);
                    claimOps(key, claimsBefore, Set.of(), new ArrayList<>(), ops);
                }
                TxnResult r = store.txn(new Txn(
                        List.of(dev.drydock.store.Compare.modRevision(key, dev.drydock.store.Compare.Op.EQUAL,
                                current.modRevision())),
                        ops, List.of()));
                if (r.succeeded()) {
                    ObjectNode gone = decode(kind, r.results().get(0));
                    Json.with(gone, "metadata").put("resourceVersion", Long.toString(r.revision()));
                    kind.strategy().afterCommit(old, null);
                    return gone;
                }
                fresh = true;
                continue;
            }
            Json.with(old, "metadata").remove("resourceVersion");
            Json.with(next, "metadata").remove("resourceVersion"); // the store's revision is the version
            // kube compares the encoded objects, whose field order is fixed by the Go types and whose numbers,
            // quantities and empty fields are normalized by them; drydock's trees are not, so compare semantically.
            // managedFields are compared exactly: to Semantic an owned leaf ({}) is as good as none
            if (Semantic.equal(next, old) && java.util.Objects.equals(next.path("metadata").get("managedFields"),
                    old.path("metadata").get("managedFields"))) {
                if (!fresh) {
                    fresh = true; // no change to what may be an old version: the current one decides
                    continue;
                }
                return decode(kind, current); // no change: kube writes nothing and keeps the resourceVersion
            }
            Set<String> claimsAfter = kind.strategy().claims(next);
            long base = current.modRevision();
            TxnResult r;
            if (claimsBefore.equals(claimsAfter)) {
                byte[] encoded = encoded(kind, next);
                r = txnWithLease(kind, lease -> lease == 0
                        ? Txn.putIfModRevision(key, base, encoded)
                        : new Txn(List.of(dev.drydock.store.Compare.modRevision(key,
                                dev.drydock.store.Compare.Op.EQUAL, base)),
                                List.of(TxnOp.put(key, encoded, lease)), List.of(TxnOp.get(key))));
            } else {
                List<dev.drydock.store.Compare> compares = new ArrayList<>(List.of(dev.drydock.store.Compare
                        .modRevision(key, dev.drydock.store.Compare.Op.EQUAL, base)));
                List<TxnOp> ops = new ArrayList<>(List.of(TxnOp.put(key, encode(kind, next))));
                claimOps(key, claimsBefore, claimsAfter, compares, ops);
                r = store.txn(new Txn(compares, ops, List.of()));
                // Lost a claim to another write (rather than the object to one): the change runs again and its
                // admission chooses again; a write that keeps losing gives up.
                if (!r.succeeded() && fresh && ++lostClaims == MAX_CLAIM_ATTEMPTS) {
                    throw Errors.conflict(kind, name);
                }
            }
            if (r.succeeded()) {
                ObjectNode stored = decode(kind, r.results().get(0));
                kind.strategy().afterCommit(old, stored);
                return stored;
            }
            fresh = true;
        }
    }

    @Override
    public ObjectNode delete(KindDescriptor kind, String namespace, String name) {
        return delete(kind, namespace, name, new DeleteOptions(null, null, null, null, false));
    }

    @Override
    public ObjectNode delete(KindDescriptor kind, String namespace, String name, ObjectNode options) {
        return delete(kind, namespace, name, DeleteOptions.of(options, Map.of()));
    }

    private ObjectNode delete(KindDescriptor kind, String namespace, String name, DeleteOptions options) {
        checkScope(kind, namespace);
        if (!options.dryRun()) {
            for (Admission a : admission) {
                a.deleting(kind, namespace, name);
            }
        }
        return write(kind, namespace, name, -1, obj -> {
            kind.strategy().validateDelete(obj);
            options.check(kind, obj);
            kind.strategy().prepareForDelete(obj);
            options.applyPolicy(obj);
            ObjectNode meta = Json.with(obj, "metadata");
            long grace = Math.max(0, kind.strategy().gracePeriod(obj, options.gracePeriodSeconds()));
            long current = meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
            if (grace > 0 && (!meta.has("deletionTimestamp") || grace < current)) {
                // A graceful delete: the object stays, marked, until it is deleted again with no grace period
                // left (kube's BeforeDelete); a later delete may only shorten the period.
                meta.put("deletionTimestamp", clock.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS)
                        .toString());
                meta.put("deletionGracePeriodSeconds", grace);
                return obj;
            }
            if (grace > 0) {
                return obj; // already being deleted with as short a grace period
            }
            if (!hasFinalizers(kind, obj)) {
                return null;
            }
            // Finalizers hold the object: mark it as being deleted and let their owners finish.
            if (!meta.has("deletionTimestamp") || current > 0) {
                meta.put("deletionTimestamp", nowText());
                meta.put("deletionGracePeriodSeconds", 0);
            }
            return obj;
        }, options.dryRun());
    }


    /**
     * What a delete answers, as kube's registry {@code finalizeDelete}: the object while finalizers hold it or for
     * kinds that return it, else a {@code Status} of Success naming it (with {@code kind} set to the resource).
     */
    private static ObjectNode deleted(KindDescriptor kind, ObjectNode obj) {
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

    /** Whether finalizers still hold the object (and, for a namespace, its {@code spec.finalizers}). */
    private static boolean hasFinalizers(KindDescriptor kind, ObjectNode obj) {
        JsonNode finalizers = Json.at(obj, "metadata", "finalizers");
        return finalizers != null && !finalizers.isEmpty() || kind.strategy().heldBeyondFinalizers(obj);
    }

    private ObjectNode deleteCollection(KindDescriptor kind, ApiRequest req) {
        DeleteOptions options = DeleteOptions.of(req);
        ObjectNode list = list(kind, req);
        for (JsonNode item : list.path("items")) {
            try {
                delete(kind, Json.namespace(item), Json.name(item), options);
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return list;
    }

    // ---- watch

    @Override
    public Watch watch(ApiRequest req, WatchHandler handler) {
        KindDescriptor kind = kindOf(req.resource());
        checkVerb(kind, ApiRequest.Verb.WATCH);
        LabelSelector labels = labelSelector(req);
        FieldSelector fields = fieldSelector(kind, req);
        WatchOptions options = ListOptions.watch(req);
        if (options.timeoutSeconds() == 0) {
            options = new WatchOptions(options.resourceVersion(), options.sendInitialEvents(),
                    options.allowBookmarks(), defaultWatchTimeoutSeconds());
        }
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

    private KindDescriptor kindOf(Resource resource) {
        KindDescriptor kind = registry.find(resource);
        if (kind == null) {
            throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
        }
        return kind;
    }

    /**
     * Refuses a verb the kind does not allow (a GET of a SubjectAccessReview, a create-only kind) as kube-apiserver
     * does, which registers no route for it: 405 Method Not Allowed.
     */
    private static void checkVerb(KindDescriptor kind, ApiRequest.Verb verb) {
        String name = switch (verb) {
            case GET -> "get";
            case LIST -> "list";
            case WATCH -> "watch";
            case CREATE -> "create";
            case UPDATE -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            case DELETE_COLLECTION -> "deletecollection";
        };
        if (!kind.verbs().contains(name)) {
            throw methodNotAllowed();
        }
    }

    private static ApiException methodNotAllowed() {
        return ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                + "resource");
    }

    @Override
    public ObjectNode body(KindDescriptor kind, ApiRequest req) {
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

    private void setNamespace(KindDescriptor kind, String namespace, ObjectNode meta) {
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

    /** kube's {@code IsValidPathSegmentName}, for the name a request's path gives (its Namer's check). */
    private static void checkPathName(String name) {
        if (name == null) {
            return;
        }
        List<String> errs = new ArrayList<>();
        if (name.equals(".") || name.equals("..")) {
            errs.add("may not be '" + name + "'");
        }
        for (String bad : List.of("/", "%")) {
            if (name.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        if (!errs.isEmpty()) {
            throw ApiException.of(400, "BadRequest", "invalid resource name \"" + name + "\": "
                    + errs.toString().replace(", ", " "));
        }
    }

    private void checkScope(KindDescriptor kind, String namespace) {
        boolean hasNs = namespace != null && !namespace.isEmpty();
        if (kind.resource().namespaced() != hasNs && !(kind.resource().namespaced() && !hasNs)) {
            throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
        }
        if (kind.resource().namespaced() && !hasNs) {
            throw ApiException.of(400, "BadRequest", "a namespace is required for " + kind.resource().plural());
        }
    }

    /**
     * The decode stage's {@code fieldValidation}: fields the kind's schema does not know are dropped, as kube's
     * decoding into its types drops them; {@code Strict} refuses them with kube's strict decoding error (400),
     * {@code Warn} (the default) warns of each, {@code Ignore} drops them silently.
     */
    private void unknownFields(KindDescriptor kind, ObjectNode obj, ApiRequest req, List<String> warnings) {
        String mode = req.param("fieldValidation");
        if (mode != null && !List.of("Strict", "Warn", "Ignore", "").contains(mode)) {
            throw ApiException.of(400, "BadRequest", "fieldValidation must be one of \"Ignore\", \"Warn\", or "
                    + "\"Strict\"");
        }
        List<String> unknown;
        try {
            unknown = kind.schema() != null ? kind.strategy().pruneUnknownFields(obj)
                    : UnknownFields.prune(kind.served(), obj);
        } catch (UnknownFields.TypeMismatch e) {
            if (req.verb() == ApiRequest.Verb.PATCH) {
                // kube decodes the patched object and answers with an Invalid naming no kind, on field "patch"
                throw Errors.invalid("", "", "", List.of(FieldError.invalid("patch", Json.string(obj),
                        e.getMessage())));
            }
            throw ApiException.of(400, "BadRequest", e.decodingError(kind.served()));
        }
        if (unknown.isEmpty()) {
            return;
        }
        if ("Strict".equals(mode)) {
            throw ApiException.of(400, "BadRequest", UnknownFields.strictDecodingError(kind.served(),
                    unknown));
        }
        if (!"Ignore".equals(mode)) {
            unknown.forEach(f -> warnings.add("unknown field \"" + f + "\""));
        }
    }

    /** The admission stage: every plugin, in order, may refuse the write. */
    private void admit(Admission.Operation op, KindDescriptor kind, ObjectNode obj, ObjectNode old) {
        for (Admission a : admission) {
            a.admit(op, kind, obj, old, this);
        }
        for (Admission a : kind.admission()) {
            a.admit(op, kind, obj, old, this);
        }
    }

    private void validate(KindDescriptor kind, ObjectNode obj, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>();
        String name = Json.name(obj);
        if (name != null) {
            kind.strategy().validateName("metadata.name", name, errors);
        }
        Validation.labels("metadata.labels", Json.at(obj, "metadata", "labels"), errors);
        Validation.annotations("metadata.annotations", Json.at(obj, "metadata", "annotations"), errors);
        kind.strategy().validate(obj, old, errors);
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

    private FieldSelector fieldSelector(KindDescriptor kind, ApiRequest req) {
        try {
            return FieldSelector.parse(req.param("fieldSelector"), kind);
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", e.getMessage());
        }
    }

    /** A resourceVersion as a revision: 400 if it is not a non-negative number. */
    static long parseResourceVersion(String rv) {
        return ListOptions.resourceVersion(rv);
    }

    private static int parseInt(String name, String value) {
        long v = ListOptions.nonNegative(name, value);
        if (v > Integer.MAX_VALUE) {
            throw ApiException.of(400, "BadRequest", "invalid " + name + ": " + value);
        }
        return (int) v;
    }

    private String nowText() {
        return dev.drydock.kube.Timestamps.seconds(clock.now());
    }

    static String key(KindDescriptor kind, String namespace, String name) {
        return prefix(kind, namespace) + name;
    }

    static String prefix(KindDescriptor kind, String namespace) {
        Resource r = kind.storedAs();
        String base = "/registry/" + (r.group().isEmpty() ? "core" : r.group()) + "/" + r.plural() + "/";
        return r.namespaced() && namespace != null && !namespace.isEmpty() ? base + namespace + "/" : base;
    }

    /** The bytes to store: never with a resourceVersion, which is the store's mod revision (see {@link #decode}). */
    private static byte[] encode(KindDescriptor kind, ObjectNode obj) {
        JsonNode meta = obj.get("metadata");
        if (meta instanceof ObjectNode m && m.has("resourceVersion")) {
            m.remove("resourceVersion");
        }
        return Json.bytes(kind.conversion().toStorage(obj));
    }

    /**
     * {@link #encode}, for a write that no longer changes {@code obj}: its kind's watch cache is handed the tree, so
     * that the write's event is not parsed again. Only for a kind stored as it is served (a conversion would change
     * the tree in the cache while this thread may still read it).
     */
    private byte[] encoded(KindDescriptor kind, ObjectNode obj) {
        byte[] bytes = encode(kind, obj);
        if (kind.conversion() == KindDescriptor.NONE) {
            caches.written(kind.resource(), bytes, obj);
        }
        return bytes;
    }

    /**
     * A stored object with its resourceVersion (the store's mod revision, as kube's etcd3 storage sets it), parsed
     * (and converted) when first read: served over HTTP as stored until then.
     */
    private ObjectNode decode(KindDescriptor kind, KeyValue kv) {
        return CachedObjectNode.ofStored(kv, kind.conversion() == KindDescriptor.NONE ? null
                : kind.conversion()::fromStorage);
    }

    private static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body);
    }

}
