package dev.drydock.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.GatedWatch;
import dev.drydock.api.RequestInterceptor;
import dev.drydock.api.auth.Identities;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Faults of the API as its clients see them, for one client identity or for every client: chosen verbs and
 * resources fail with 500, 503, 429 or 409 (as kube-apiserver answers them), take longer, have their watches ended or
 * stalled, or have their lists answered from the past. Each call returns an {@link ApiFault} that undoes it, so
 * try-with-resources scopes a fault to a block; each fault's start and end, and the requests it failed (at most an
 * entry a second per fault), are recorded on the cluster's {@link Timeline}.
 *
 * <pre>{@code
 * ApiFaults faults = cluster.apiFaults();
 * try (ApiFault f = faults.forIdentity("operator").verbs("list", "watch").resources("pods").fail(500)) {
 *     // the operator's lists and watches of pods fail; everyone else's, and its other requests, do not
 * }
 * try (ApiFault f = faults.all().resources("configmaps").delay(Duration.ofMillis(200))) { ... }
 * try (ApiFault f = faults.forIdentity("operator").endWatches()) { ... } // its watches end; informers resume
 * }</pre>
 *
 * <p>A fault for every client ({@link #all()}) also hits the cluster's own components (scheduler, controllers,
 * kubelets) and the test's own client: narrow it with {@link Scope#verbs} and {@link Scope#resources}. Requests pass
 * the faults at the cost of one volatile read while none is in force. A delay holds the request's thread (over HTTP,
 * one of the API server's workers) for real time, also on a {@code ManualClock}: a thread held until someone
 * advances the clock could be the one that would (the test's), or one that {@code advance()} waits for (a
 * component's, on the shared workers).
 */
public final class ApiFaults implements RequestInterceptor {

    /** kube's verbs, as RBAC names them, in the order it lists them. */
    private static final Map<String, ApiRequest.Verb> VERBS = new LinkedHashMap<>();
    static {
        VERBS.put("get", ApiRequest.Verb.GET);
        VERBS.put("list", ApiRequest.Verb.LIST);
        VERBS.put("watch", ApiRequest.Verb.WATCH);
        VERBS.put("create", ApiRequest.Verb.CREATE);
        VERBS.put("update", ApiRequest.Verb.UPDATE);
        VERBS.put("patch", ApiRequest.Verb.PATCH);
        VERBS.put("delete", ApiRequest.Verb.DELETE);
        VERBS.put("deletecollection", ApiRequest.Verb.DELETE_COLLECTION);
    }
    /** The codes {@link Scope#fail(int)} answers with. */
    public static final Set<Integer> CODES = Set.of(409, 429, 500, 503);
    private static final ApiFault[] NONE = new ApiFault[0];

    private final ApiServer api;
    private final Timeline timeline;
    private final Clock clock;
    private volatile ApiFault[] rules = NONE; // written under this
    private final Set<OpenWatch> watches = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

    private ApiFaults(ApiServer api, Timeline timeline, Clock clock) {
        this.api = api;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** Makes the fault API of {@code api}'s clients, and puts it on their requests' way. */
    public static ApiFaults install(ApiServer api, Timeline timeline, Clock clock) {
        ApiFaults faults = new ApiFaults(api, timeline, clock);
        api.interceptor(faults);
        return faults;
    }

    /**
     * Faults for the requests of one client identity only (see {@code DrydockCluster.identity(name)}).
     *
     * @throws IllegalArgumentException if no identity of that name was made, naming those that were
     */
    public Scope forIdentity(String name) {
        Identities.Identity id = api.identities().find(name).orElseThrow(() -> new IllegalArgumentException(
                "no client identity named '" + name + "'; identities are " + api.identities().names()
                        + " (make one with cluster.identity(name))"));
        return new Scope(id.party(), Set.of(), new ResourceMatch[0]);
    }

    /** Faults for every client's requests: identities, the test's own, and the cluster's components. */
    public Scope all() {
        return new Scope(null, Set.of(), new ResourceMatch[0]);
    }

    /** The faults in force now, oldest first. */
    public List<ApiFault> active() {
        return List.of(rules);
    }

    /** How many requests the faults of this cluster have failed so far, healed faults' included. */
    public long failedRequests() {
        return failed.get();
    }

    /** Heals every fault in force. */
    public void healAll() {
        for (ApiFault f : rules) {
            f.close();
        }
    }

    // ---- the request path

    @Override
    public ApiResponse call(String party, ApiRequest request, Transport next) {
        ApiFault[] r = rules;
        if (r.length == 0) {
            return next.call(request);
        }
        try {
            return next.call(before(r, party, request));
        } catch (ApiException e) {
            return new ApiResponse(e.code(), e.status());
        }
    }

    @Override
    public Watch watch(String party, ApiRequest request, WatchHandler handler, Transport next) {
        ApiFault[] r = rules;
        ApiRequest req = r.length == 0 ? request : before(r, party, request);
        OpenWatch w = new OpenWatch(party, req);
        w.gate = new GatedWatch(handler, g -> watches.remove(w));
        watches.add(w);
        if (w.reconsider(rules) == Verdict.END) {
            return w.gate; // ended before it started: the client sees a stream that ends at once
        }
        try {
            w.gate.upstream(next.watch(req, w.gate));
        } catch (RuntimeException e) {
            w.gate.abandon();
            throw e;
        }
        return w.gate;
    }

    /** Delays, rewrites or fails a request, by the faults that match it. */
    private ApiRequest before(ApiFault[] r, String party, ApiRequest request) {
        long delay = 0;
        ApiRequest req = request;
        ApiFault failing = null;
        for (ApiFault f : r) {
            if (!f.isActive() || !f.matches(party, request)) {
                continue;
            }
            switch (f.kind) {
                case DELAY -> {
                    delay += f.delayNanos;
                    f.hit(party, "delayed " + what(request) + " by " + f.delay().toMillis() + "ms", clock.nanoTime());
                }
                case STALE_LISTS -> {
                    if (request.verb() == ApiRequest.Verb.LIST && request.param("continue") == null) {
                        Map<String, String> params = new HashMap<>(request.params());
                        params.put("resourceVersion", f.staleVersion);
                        params.put("resourceVersionMatch", "Exact");
                        req = new ApiRequest(req.verb(), req.resource(), req.namespace(), req.name(),
                                req.subresource(), params, req.body(), req.contentType(), req.userAgent());
                        f.hit(party, "answered " + what(request) + " as of resourceVersion " + f.staleVersion,
                                clock.nanoTime());
                    }
                }
                case FAIL -> {
                    if (failing == null) {
                        failing = f;
                    }
                }
                default -> { } // watch faults act on open watches
            }
        }
        if (delay > 0) {
            sleep(delay);
        }
        if (failing != null) {
            ApiException e = failure(failing, request);
            failed.incrementAndGet();
            failing.hit(party, "failed " + what(request) + " with " + failing.code + " " + e.reason(),
                    clock.nanoTime());
            throw e;
        }
        return req;
    }

    private static String what(ApiRequest req) {
        String verb = VERBS.entrySet().stream().filter(e -> e.getValue() == req.verb()).findFirst()
                .map(Map.Entry::getKey).orElse(req.verb().name());
        StringBuilder s = new StringBuilder(verb).append(' ').append(req.resource().qualifiedName());
        if (req.subresource() != null) {
            s.append('/').append(req.subresource());
        }
        if (req.name() != null) {
            s.append(' ').append(req.namespace() == null ? "" : req.namespace() + "/").append(req.name());
        } else if (req.namespace() != null) {
            s.append(" in ").append(req.namespace());
        }
        return s.toString();
    }

    /** The Status kube-apiserver answers with for the code. */
    private static ApiException failure(ApiFault f, ApiRequest req) {
        String injected = "fault injected by drydock: " + f;
        return switch (f.code) {
            case 429 -> { // as kube-apiserver's max-in-flight filter answers
                ObjectNode details = Json.object().put("retryAfterSeconds", f.retryAfterSeconds);
                yield new ApiException(ApiException.status(429, "TooManyRequests",
                        "Too many requests, please try again later.", details));
            }
            case 503 -> ApiException.of(503, "ServiceUnavailable",
                    "the server is currently unable to handle the request (" + injected + ")");
            case 409 -> {
                String name = req.name();
                if (name == null && req.body() != null) {
                    name = req.body().path("metadata").path("name").asText("");
                }
                yield ApiException.of(409, "Conflict", "Operation cannot be fulfilled on "
                        + req.resource().qualifiedName() + " \"" + (name == null ? "" : name) + "\": the object has "
                        + "been modified; please apply your changes to the latest version and try again",
                        req.resource(), name);
            }
            default -> { // 500, as kube's NewInternalError
                ObjectNode details = Json.object();
                details.putArray("causes").addObject().put("message", injected);
                yield new ApiException(ApiException.status(500, "InternalError",
                        "Internal error occurred: " + injected, details));
            }
        };
    }

    private static void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                interrupted = true; // the request goes on, as it would on a slow link; the interrupt is kept
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- making and healing faults

    private ApiFault add(ApiFault f) {
        synchronized (this) {
            ApiFault[] now = Arrays.copyOf(rules, rules.length + 1);
            now[now.length - 1] = f;
            rules = now;
        }
        timeline.fault(subject(f), "API fault: " + f);
        reconsiderWatches();
        return f;
    }

    void healed(ApiFault f) {
        synchronized (this) {
            rules = Arrays.stream(rules).filter(r -> r != f).toArray(ApiFault[]::new);
        }
        reconsiderWatches();
        timeline.fault(subject(f), "healed API fault: " + f + " (" + f.hits() + " hit(s))");
    }

    void record(String party, String detail, boolean failed) {
        if (failed) {
            timeline.error(party, detail);
        } else {
            timeline.event(party, detail);
        }
    }

    private static String subject(ApiFault f) {
        return f.party == null ? "all clients" : f.party;
    }

    private void reconsiderWatches() {
        ApiFault[] r = rules;
        for (OpenWatch w : watches) {
            w.reconsider(r);
        }
    }

    private enum Verdict { OPEN, END, STALL }

    /** One open watch of a party, and what the watch faults do to it. */
    private final class OpenWatch {
        final String party;
        final ApiRequest req;
        GatedWatch gate;
        private boolean stalledBy; // guarded by this: counted once per stall

        OpenWatch(String party, ApiRequest req) {
            this.party = party;
            this.req = req;
        }

        synchronized Verdict reconsider(ApiFault[] r) {
            ApiFault end = null;
            ApiFault stall = null;
            for (ApiFault f : r) {
                if (f.isActive() && f.matches(party, req)) {
                    if (f.kind == ApiFault.Kind.END_WATCHES && end == null) {
                        end = f;
                    } else if (f.kind == ApiFault.Kind.STALL_WATCHES && stall == null) {
                        stall = f;
                    }
                }
            }
            if (end != null) {
                end.hit(party, "ended the watch of " + what(req), clock.nanoTime());
                gate.end();
                return Verdict.END;
            }
            if (stall != null) {
                if (!stalledBy) {
                    stalledBy = true;
                    stall.hit(party, "stalled the watch of " + what(req), clock.nanoTime());
                }
                gate.hold();
                return Verdict.STALL;
            }
            stalledBy = false;
            if (gate.held()) {
                gate.release();
            }
            return Verdict.OPEN;
        }
    }

    // ---- scopes

    /** One resource a fault is narrowed to: {@code pods}, {@code deployments.apps}, {@code pods/status}. */
    record ResourceMatch(String plural, String group, String subresource, boolean anySubresource) {
        boolean matches(ApiRequest req) {
            Resource r = req.resource();
            if (!r.plural().equals(plural) || group != null && !r.group().equals(group)) {
                return false;
            }
            return anySubresource || java.util.Objects.equals(subresource, req.subresource());
        }

        @Override
        public String toString() {
            return plural + (group == null ? "" : "." + group) + (anySubresource ? "" : "/" + subresource);
        }
    }

    /**
     * Which requests a fault is for: a client identity's or everyone's, narrowed to some verbs and resources
     * (every verb and resource unless narrowed). Immutable: each narrowing returns a new scope. Its last call makes
     * the fault, in force at once.
     */
    public final class Scope {
        private final String party;
        private final Set<ApiRequest.Verb> verbs;
        private final ResourceMatch[] resources;

        private Scope(String party, Set<ApiRequest.Verb> verbs, ResourceMatch[] resources) {
            this.party = party;
            this.verbs = verbs;
            this.resources = resources;
        }

        /**
         * Only requests with these verbs, named as RBAC names them: {@code get}, {@code list}, {@code watch},
         * {@code create}, {@code update}, {@code patch}, {@code delete}, {@code deletecollection}.
         *
         * @throws IllegalArgumentException for another verb, naming those there are
         */
        public Scope verbs(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("name at least one verb of " + VERBS.keySet());
            }
            Set<ApiRequest.Verb> out = EnumSet.noneOf(ApiRequest.Verb.class);
            for (String n : names) {
                ApiRequest.Verb v = VERBS.get(n);
                if (v == null) {
                    throw new IllegalArgumentException("no verb '" + n + "'; verbs are " + VERBS.keySet());
                }
                out.add(v);
            }
            return new Scope(party, Set.copyOf(out), resources);
        }

        /**
         * Only requests for these resources, as kube names them in RBAC rules: a plural ({@code pods}), optionally
         * with its group ({@code deployments.apps}) and a subresource ({@code pods/status}); a resource without a
         * subresource stands for it and all its subresources.
         *
         * @throws IllegalArgumentException for a resource the API does not serve now, naming those it does
         */
        public Scope resources(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("name at least one resource, e.g. 'pods'");
            }
            Set<Resource> served = api.discover().keySet();
            List<ResourceMatch> out = new ArrayList<>();
            for (String n : names) {
                String res = n;
                String sub = null;
                int slash = n.indexOf('/');
                if (slash >= 0) {
                    res = n.substring(0, slash);
                    sub = n.substring(slash + 1);
                }
                int dot = res.indexOf('.');
                String plural = dot < 0 ? res : res.substring(0, dot);
                String group = dot < 0 ? null : res.substring(dot + 1);
                boolean known = served.stream().anyMatch(r -> r.plural().equals(plural)
                        && (group == null || r.group().equals(group)));
                if (!known || sub != null && sub.isEmpty()) {
                    throw new IllegalArgumentException("the API serves no resource '" + n + "'; it serves "
                            + served.stream().map(Resource::qualifiedName).collect(Collectors.toCollection(
                                    TreeSet::new)));
                }
                out.add(new ResourceMatch(plural, group, sub, sub == null));
            }
            return new Scope(party, verbs, out.toArray(ResourceMatch[]::new));
        }

        /**
         * Fails the requests with {@code code}, as kube-apiserver does: 500 InternalError, 503 ServiceUnavailable,
         * 429 TooManyRequests with a {@code Retry-After} of 1 s (as its max-in-flight filter), or 409 Conflict
         * naming the object. A watch that fails does not start.
         *
         * @throws IllegalArgumentException for another code, naming those there are
         */
        public ApiFault fail(int code) {
            if (!CODES.contains(code)) {
                throw new IllegalArgumentException("cannot fail requests with " + code + "; codes are "
                        + new TreeSet<>(CODES));
            }
            return make(ApiFault.Kind.FAIL, code, code == 429 ? 1 : 0, 0, null, "fail " + code);
        }

        /**
         * Fails the requests with 429 TooManyRequests, telling the client to retry after {@code retryAfter}
         * (whole seconds, rounded up) in {@code details.retryAfterSeconds} and the {@code Retry-After} header.
         *
         * @throws IllegalArgumentException unless {@code retryAfter} is positive
         */
        public ApiFault tooManyRequests(Duration retryAfter) {
            if (retryAfter.isNegative() || retryAfter.isZero()) {
                throw new IllegalArgumentException("Retry-After must be positive, got " + retryAfter);
            }
            long seconds = (retryAfter.toMillis() + 999) / 1000;
            int s = (int) Math.min(Integer.MAX_VALUE, seconds);
            return make(ApiFault.Kind.FAIL, 429, s, 0, null, "fail 429 (Retry-After " + s + "s)");
        }

        /**
         * Delays the requests by {@code delay} before they are served (a watch: before it starts).
         *
         * @throws IllegalArgumentException unless {@code delay} is positive
         */
        public ApiFault delay(Duration delay) {
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("a delay must be positive, got " + delay);
            }
            return make(ApiFault.Kind.DELAY, 0, 0, delay.toNanos(), null, "delay " + delay.toMillis() + "ms");
        }

        /**
         * Ends the watches, as the server ends a watch (the stream ends normally; the client resumes from its last
         * resourceVersion): those open now at once, and, while the fault is in force, each new one as it opens.
         *
         * @throws IllegalArgumentException if the scope's verbs leave out {@code watch}
         */
        public ApiFault endWatches() {
            requireVerb(ApiRequest.Verb.WATCH, "endWatches");
            return make(ApiFault.Kind.END_WATCHES, 0, 0, 0, null, "end watches");
        }

        /**
         * Stalls the watches while the fault is in force: they send nothing but stay open; when it heals, they
         * send what they held, in order. A watch that holds too much is ended, as kube ends a watcher too slow.
         *
         * @throws IllegalArgumentException if the scope's verbs leave out {@code watch}
         */
        public ApiFault stallWatches() {
            requireVerb(ApiRequest.Verb.WATCH, "stallWatches");
            return make(ApiFault.Kind.STALL_WATCHES, 0, 0, 0, null, "stall watches");
        }

        /**
         * Answers lists as of the resourceVersion the store is at now, as a lagging cache or replica would, while
         * the fault is in force: the client sees the past, and its watch from there replays what came since.
         *
         * @throws IllegalArgumentException if the scope's verbs leave out {@code list}
         */
        public ApiFault staleLists() {
            ApiResponse now = api.call(new ApiRequest(ApiRequest.Verb.LIST, Resource.NAMESPACES, null, null, null,
                    Map.of("limit", "1"), null, null));
            if (now.code() != 200) {
                throw new IllegalStateException("could not read the current resourceVersion: "
                        + now.body().path("message").asText());
            }
            return staleLists(Json.text(now.body(), "metadata", "resourceVersion"));
        }

        /**
         * Answers lists as of {@code resourceVersion} while the fault is in force. A version the store has compacted
         * away is answered with 410 Gone, as kube answers an exact list from before its window.
         *
         * @throws IllegalArgumentException if the version is not a positive number, or the scope's verbs leave out
         *                                  {@code list}
         */
        public ApiFault staleLists(String resourceVersion) {
            requireVerb(ApiRequest.Verb.LIST, "staleLists");
            long rv;
            try {
                rv = Long.parseLong(resourceVersion);
            } catch (NumberFormatException | NullPointerException e) {
                rv = -1;
            }
            if (rv <= 0) {
                throw new IllegalArgumentException("a resourceVersion to answer lists at is a positive number, got '"
                        + resourceVersion + "'");
            }
            return make(ApiFault.Kind.STALE_LISTS, 0, 0, 0, Long.toString(rv),
                    "answer lists as of resourceVersion " + rv);
        }

        private void requireVerb(ApiRequest.Verb verb, String call) {
            if (!verbs.isEmpty() && !verbs.contains(verb)) {
                String name = verb.name().toLowerCase();
                throw new IllegalArgumentException(call + "() acts on " + name + " requests, but the scope's verbs "
                        + "are " + verbs.stream().map(v -> v.name().toLowerCase().replace("_", "")).toList()
                        + ": add '" + name + "' or leave verbs out");
            }
        }

        private ApiFault make(ApiFault.Kind kind, int code, int retryAfter, long delayNanos, String staleVersion,
                              String what) {
            StringBuilder d = new StringBuilder(what);
            if (!verbs.isEmpty()) {
                d.append(" on ").append(VERBS.entrySet().stream().filter(e -> verbs.contains(e.getValue()))
                        .map(Map.Entry::getKey).collect(Collectors.joining(",")));
            }
            if (resources.length > 0) {
                d.append(verbs.isEmpty() ? " for " : " of ").append(Arrays.stream(resources)
                        .map(ResourceMatch::toString).collect(Collectors.joining(",")));
            }
            d.append(party == null ? " (all clients)" : " (" + party + ")");
            return add(new ApiFault(ApiFaults.this, kind, party, verbs, resources, code, retryAfter, delayNanos,
                    staleVersion, d.toString()));
        }
    }
}
