package dev.drydock.api.openapi;

import dev.drydock.api.openapi.KubeSchemas.Gvk;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REST paths and operations of a served kind, as kube-apiserver's OpenAPI lists them: the collection, the object,
 * the all-namespaces list, the (deprecated but still published) watch paths, and the {@code status}, {@code scale},
 * {@code binding} and {@code eviction} subresources. Operation ids, tags, {@code x-kubernetes-action} and
 * {@code x-kubernetes-group-version-kind} follow kube's naming; parameter descriptions are brief.
 */
final class Paths {

    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String STATUS = META + "Status";
    static final String DELETE_OPTIONS = META + "DeleteOptions";
    static final String PATCH = META + "Patch";
    static final String WATCH_EVENT = META + "WatchEvent";
    static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
    static final String BINDING = "io.k8s.api.core.v1.Binding";
    static final String EVICTION = "io.k8s.api.policy.v1.Eviction";

    static final List<String> BUILT_IN_PATCHES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json");
    /** Custom resources take no strategic merge patch: kubectl then computes a JSON merge patch for them. */
    static final List<String> CUSTOM_PATCHES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json");

    /** A parameter; {@code in} is {@code path} or {@code query}, {@code type} a JSON schema type. */
    record Param(String name, String in, String type, boolean required, String description) {
    }

    /**
     * One operation.
     *
     * @param body      schema name of the request body, or null
     * @param patches   the patch content types, for a PATCH
     * @param response  schema name of the answer
     * @param codes     the success codes, e.g. 200 and 201 for a create
     * @param watch     whether the answer is a stream of watch events
     */
    record Op(String method, String action, String operationId, String description, Gvk gvk, String body,
              List<String> patches, String response, List<String> codes, List<Param> params, boolean watch) {
    }

    /** A path, its parameters and operations; {@code custom} for a custom resource's (JSON and YAML only). */
    record PathItem(String path, List<Param> params, List<Op> ops, boolean custom) {

        PathItem(String path, List<Param> params, List<Op> ops) {
            this(path, params, ops, false);
        }
    }

    private static final Param PRETTY = query("pretty", "string", "If 'true', then the output is pretty printed.");
    private static final Param NAMESPACE = new Param("namespace", "path", "string", true,
            "object name and auth scope, such as for teams and projects");
    private static final Param DRY_RUN = query("dryRun", "string", "When present, indicates that modifications "
            + "should not be persisted. Valid values are: - All: all dry run stages will be processed");
    private static final Param FIELD_MANAGER = query("fieldManager", "string", "fieldManager is a name associated "
            + "with the actor or entity that is making these changes.");
    private static final Param FIELD_VALIDATION = query("fieldValidation", "string", "fieldValidation instructs the "
            + "server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate "
            + "fields. Valid values are: - Ignore - Warn (the default) - Strict: fail the request with a BadRequest "
            + "error if any unknown fields would be dropped from the object, or if any duplicate fields are present.");
    private static final Param FORCE = query("force", "boolean", "Force is going to \"force\" Apply requests. It "
            + "means user will re-acquire conflicting fields owned by other people.");
    private static final Param GRACE = query("gracePeriodSeconds", "integer", "The duration in seconds before the "
            + "object should be deleted.");
    private static final Param PROPAGATION = query("propagationPolicy", "string", "Whether and how garbage "
            + "collection will be performed: 'Orphan', 'Background' or 'Foreground'.");
    private static final List<Param> LIST = List.of(
            query("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type "
                    + "\"BOOKMARK\"."),
            query("continue", "string", "The continue option should be set when retrieving more results from the "
                    + "server."),
            query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
            query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
            query("limit", "integer", "limit is a maximum number of responses to return for a list call."),
            query("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a "
                    + "request may be served from."),
            query("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is "
                    + "applied to list calls."),
            query("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`."),
            query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
            query("watch", "boolean", "Watch for changes to the described resources and return them as a stream of "
                    + "add, update, and remove notifications."));
    private static final List<Param> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    private static final List<Param> PATCH_PARAMS = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    private static final List<Param> DELETE = List.of(DRY_RUN, GRACE, PROPAGATION);

    private Paths() {
    }

    private static Param query(String name, String type, String description) {
        return new Param(name, "query", type, false, description);
    }

    /** Every path of {@code k}, in kube's order of listing. */
    static List<PathItem> of(ServedKind k, String kindSchema, String listSchema) {
        Gvk gvk = new Gvk(k.group(), k.version(), k.kind());
        String prefix = k.group().isEmpty() ? "/api/" + k.version() : "/apis/" + k.group() + "/" + k.version();
        String ns = k.namespaced() ? "/namespaces/{namespace}" : "";
        String id = groupCamel(k.group()) + cap(k.version()) + (k.namespaced() ? "Namespaced" : "") + k.kind();
        String allNs = groupCamel(k.group()) + cap(k.version()) + k.kind();
        String name = k.kind();
        Param nameParam = new Param("name", "path", "string", true, "name of the " + name);
        List<Param> collectionParams = k.namespaced() ? List.of(NAMESPACE, PRETTY) : List.of(PRETTY);
        List<Param> itemParams = k.namespaced() ? List.of(nameParam, NAMESPACE, PRETTY) : List.of(nameParam, PRETTY);
        List<String> patches = k.isCustom() ? CUSTOM_PATCHES : BUILT_IN_PATCHES;

        List<PathItem> items = new ArrayList<>();
        String collection = prefix + ns + "/" + k.plural();
        items.add(new PathItem(collection, collectionParams, List.of(
                new Op("get", "list", "list" + id, "list or watch objects of kind " + name, gvk, null, null,
                        listSchema, List.of("200"), LIST, false),
                new Op("post", "post", "create" + id, "create a " + name, gvk, kindSchema, null, kindSchema,
                        List.of("200", "201", "202"), WRITE, false),
                new Op("delete", "deletecollection", "deletecollection" + id, "delete collection of " + name, gvk,
                        DELETE_OPTIONS, null, STATUS, List.of("200"), concat(LIST, DELETE), false))));
        String item = collection + "/{name}";
        items.add(new PathItem(item, itemParams, List.of(
                new Op("get", "get", "read" + id, "read the specified " + name, gvk, null, null, kindSchema,
                        List.of("200"), List.of(), false),
                new Op("put", "put", "replace" + id, "replace the specified " + name, gvk, kindSchema, null,
                        kindSchema, List.of("200", "201"), WRITE, false),
                new Op("patch", "patch", "patch" + id, "partially update the specified " + name, gvk, PATCH,
                        patches, kindSchema, List.of("200", "201"), PATCH_PARAMS, false),
                new Op("delete", "delete", "delete" + id, "delete a " + name, gvk, DELETE_OPTIONS, null, STATUS,
                        List.of("200", "202"), DELETE, false))));
        for (String sub : List.of("binding", "eviction", "scale", "status")) {
            if (k.subresources().contains(sub)) {
                items.add(subresource(sub, item, id, name, gvk, kindSchema, patches, itemParams));
            }
        }
        if (k.namespaced()) {
            items.add(new PathItem(prefix + "/" + k.plural(), List.of(PRETTY), List.of(
                    new Op("get", "list", "list" + allNs + "ForAllNamespaces", "list or watch objects of kind "
                            + name, gvk, null, null, listSchema, List.of("200"), LIST, false))));
        }
        items.add(new PathItem(prefix + "/watch" + ns + "/" + k.plural(), concat(collectionParams, LIST), List.of(
                new Op("get", "watchlist", "watch" + id + "List", "watch individual changes to a list of " + name
                        + ". deprecated: use the 'watch' parameter with a list operation instead.", gvk, null,
                        null, WATCH_EVENT, List.of("200"), List.of(), true))));
        items.add(new PathItem(prefix + "/watch" + ns + "/" + k.plural() + "/{name}", concat(itemParams, LIST),
                List.of(new Op("get", "watch", "watch" + id, "watch changes to an object of kind " + name
                        + ". deprecated: use the 'watch' parameter with a list operation instead, filtered to a "
                        + "single item with the 'fieldSelector' parameter.", gvk, null, null, WATCH_EVENT,
                        List.of("200"), List.of(), true))));
        if (k.namespaced()) {
            items.add(new PathItem(prefix + "/watch/" + k.plural(), concat(List.of(PRETTY), LIST), List.of(
                    new Op("get", "watchlist", "watch" + allNs + "ListForAllNamespaces", "watch individual changes "
                            + "to a list of " + name + ". deprecated: use the 'watch' parameter with a list "
                            + "operation instead.", gvk, null, null, WATCH_EVENT, List.of("200"), List.of(),
                            true))));
        }
        return k.isCustom() ? items.stream().map(p -> new PathItem(p.path(), p.params(), p.ops(), true)).toList()
                : items;
    }

    private static PathItem subresource(String sub, String item, String id, String name, Gvk gvk, String kindSchema,
                                        List<String> patches, List<Param> itemParams) {
        String path = item + "/" + sub;
        return switch (sub) {
            case "status" -> new PathItem(path, itemParams, List.of(
                    new Op("get", "get", "read" + id + "Status", "read status of the specified " + name, gvk, null,
                            null, kindSchema, List.of("200"), List.of(), false),
                    new Op("put", "put", "replace" + id + "Status", "replace status of the specified " + name, gvk,
                            kindSchema, null, kindSchema, List.of("200", "201"), WRITE, false),
                    new Op("patch", "patch", "patch" + id + "Status", "partially update status of the specified "
                            + name, gvk, PATCH, patches, kindSchema, List.of("200", "201"), PATCH_PARAMS, false)));
            case "scale" -> {
                Gvk scale = new Gvk("autoscaling", "v1", "Scale");
                yield new PathItem(path, itemParams, List.of(
                        new Op("get", "get", "read" + id + "Scale", "read scale of the specified " + name, scale,
                                null, null, SCALE, List.of("200"), List.of(), false),
                        new Op("put", "put", "replace" + id + "Scale", "replace scale of the specified " + name,
                                scale, SCALE, null, SCALE, List.of("200", "201"), WRITE, false),
                        new Op("patch", "patch", "patch" + id + "Scale", "partially update scale of the specified "
                                + name, scale, PATCH, patches, SCALE, List.of("200", "201"), PATCH_PARAMS, false)));
            }
            case "binding" -> new PathItem(path, itemParams, List.of(new Op("post", "post", "create" + id
                    + "Binding", "create binding of a " + name, new Gvk("", "v1", "Binding"), BINDING, null, BINDING,
                    List.of("200", "201", "202"), WRITE, false)));
            case "eviction" -> new PathItem(path, itemParams, List.of(new Op("post", "post", "create" + id
                    + "Eviction", "create eviction of a " + name, new Gvk("policy", "v1", "Eviction"), EVICTION,
                    null, EVICTION, List.of("200", "201", "202"), WRITE, false)));
            default -> throw new IllegalArgumentException(sub);
        };
    }

    /** kube's tag of the group version a path belongs to. */
    static String tagOf(String path) {
        String[] parts = path.split("/");
        return parts[1].equals("api") ? tag("", parts[2]) : tag(parts[2], parts[3]);
    }

    /** kube's tag of a group version: {@code core_v1}, {@code apps_v1}, {@code rbacAuthorization_v1}. */
    static String tag(String group, String version) {
        String g = groupCamel(group);
        return Character.toLowerCase(g.charAt(0)) + g.substring(1) + "_" + version;
    }

    /** {@code Core}, {@code Apps}, {@code RbacAuthorization}, {@code StableExampleCom}. */
    static String groupCamel(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        String g = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        StringBuilder b = new StringBuilder();
        for (String part : g.split("[.-]")) {
            if (!part.isEmpty()) {
                b.append(cap(part));
            }
        }
        return b.toString();
    }

    private static String cap(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static List<Param> concat(List<Param> a, List<Param> b) {
        List<Param> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
