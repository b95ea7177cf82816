package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.apply.ManagedFields.Entry;
import dev.drydock.api.apply.ManagedFields.Manager;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side apply and the bookkeeping of {@code metadata.managedFields} for one kind, as kube-apiserver's field
 * manager does it (apimachinery's {@code managedfields} over structured-merge-diff):
 *
 * <ul>
 *   <li>{@link #update}: a create, update or non-apply patch gives the fields it added or changed to its manager
 *       (an {@code Update} entry per manager, version and subresource) and takes them from every other manager,
 *       appliers included, without conflict.</li>
 *   <li>{@link #apply}: an applied configuration is merged into the object by the kind's schema; the applier owns
 *       exactly the fields it applies; a field another manager owns and the configuration would change is a
 *       conflict (409) unless forced; a field the applier applied before and no longer applies is removed when no
 *       one else owns it.</li>
 * </ul>
 *
 * <p>The fields of the status are owned through the {@code status} subresource only, for a kind that has one.
 */
public final class FieldManager {

    private static final Logger LOG = LoggerFactory.getLogger(FieldManager.class);

    /** kube's {@code DefaultMaxUpdateManagers}. */
    static final int MAX_UPDATE_MANAGERS = 10;
    /** kube's {@code FieldManagerMaxLength}: a longer {@code fieldManager} is refused. */
    public static final int MAX_MANAGER_LENGTH = 128;
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The metadata no manager owns (kube's {@code stripMetaManager}). */
    private static final FieldSet STRIPPED;

    static {
        FieldSet.Builder b = new FieldSet.Builder();
        b.insert(List.of(PathElement.field("apiVersion")));
        b.insert(List.of(PathElement.field("kind")));
        b.insert(List.of(PathElement.field("metadata")));
        for (String f : List.of("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                "generation", "managedFields", "resourceVersion")) {
            b.insert(List.of(PathElement.field("metadata"), PathElement.field(f)));
        }
        STRIPPED = b.build();
    }

    private final Type type;
    private final String group;
    private final String version;
    private final String apiVersion;
    private final String kind;
    private final boolean hasStatus;

    private final boolean fastCreate;

    private FieldManager(Type type, Resource resource, boolean hasStatus) {
        this(type, resource.group(), resource.version(), resource.apiVersion(), resource.kind(), hasStatus, true);
    }

    private FieldManager(Type type, String group, String version, String apiVersion, String kind, boolean hasStatus,
                         boolean fastCreate) {
        this.type = type;
        this.group = group;
        this.version = version;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.hasStatus = hasStatus;
        this.fastCreate = fastCreate;
    }

    /**
     * The field manager of a kind.
     *
     * @param openAPIV3Schema a custom resource's structural schema, or null for a built-in kind (merged by Kubernetes
     *                        1.32's schema of it, or by the shape of its values if there is none)
     * @param hasStatus       whether its status is written through a {@code status} subresource
     */
    public static FieldManager of(Resource resource, JsonNode openAPIV3Schema, boolean hasStatus) {
        Type t = openAPIV3Schema == null || openAPIV3Schema.isNull() || openAPIV3Schema.isMissingNode()
                ? Schemas.builtIn(resource.group(), resource.version(), resource.kind())
                : Schemas.custom(openAPIV3Schema);
        return new FieldManager(t, resource, hasStatus);
    }

    /**
     * The manager of a request that names none: its {@code User-Agent} up to the first {@code /}, unprintable
     * characters left out, cut to 128 bytes (kube's {@code prefixFromUserAgent}); empty for none.
     */
    public static String managerFromUserAgent(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        int slash = userAgent.indexOf('/');
        String m = slash < 0 ? userAgent : userAgent.substring(0, slash);
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < m.length(); ) {
            int c = m.codePointAt(i);
            i += Character.charCount(c);
            if (!isPrint(c)) {
                continue;
            }
            int n = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_MANAGER_LENGTH) {
                break;
            }
            bytes += n;
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    public static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    // ---- updates

    /**
     * Records a create ({@code live} null), update or non-apply patch in {@code next}'s {@code managedFields}, as
     * kube's field manager does before admission: the fields that changed go to {@code manager} (or
     * {@code unknown}) and are taken from the managers that had them. {@code managedFields} a client sent replace the
     * stored ones (an empty list forgets them all, and an object without any is then no longer tracked); through a
     * subresource they are ignored. An error leaves {@code next} without {@code managedFields}, as kube 1.32 does.
     */
    public void update(ObjectNode live, ObjectNode next, String manager, String subresource, Instant now) {
        try {
            updateManaged(live, next, manager, subresource, now);
        } catch (RuntimeException e) {
            LOG.warn("failed to update the managedFields of {} {}/{}; they are cleared, as kube does", kind,
                    next.path("metadata").path("namespace").asText(""), next.path("metadata").path("name").asText(""),
                    e);
            ManagedFields.set(next, null);
        }
    }

    private void updateManaged(ObjectNode live, ObjectNode next, String manager, String subresource, Instant now) {
        JsonNode sent = ManagedFields.of(next);
        if (live == null && sent == null && subresource == null && fastCreate && recordCreate(next, manager, now)) {
            return;
        }
        JsonNode liveManaged = ManagedFields.of(live);
        Map<Manager, Entry> managed;
        if (subresource != null) {
            managed = decodeOrEmpty(liveManaged);
        } else if (ManagedFields.isReset(sent)) {
            managed = new LinkedHashMap<>();
        } else if (sent == null || sent.isNull() || sent.isEmpty() || sent.equals(liveManaged)) {
            managed = decodeOrEmpty(liveManaged);
        } else {
            try {
                managed = ManagedFields.decode(sent, false);
            } catch (IllegalArgumentException e) {
                managed = new LinkedHashMap<>(); // kube falls back to the stored ones
            }
            if (managed.isEmpty()) {
                managed = decodeOrEmpty(liveManaged);
            }
        }
        boolean create = live == null;
        if (managed.isEmpty() && !create) {
            ManagedFields.set(next, null); // an object that has none is not tracked until it is applied to
            return;
        }
        ObjectNode before = create ? Json.object() : live;
        if (recordUpdate(managed, before, next, managerOrUnknown(manager), subresource, now)) {
            ManagedFields.capUpdateManagers(managed, MAX_UPDATE_MANAGERS);
        }
        ArrayNode list = ManagedFields.encode(managed);
        if (list != null && liveManaged != null && list.equals(liveManaged)) {
            list = (ArrayNode) liveManaged; // unchanged: the stored list, as it was
        }
        ManagedFields.set(next, list);
    }

    /**
     * A create without {@code managedFields}: its manager owns every field it sets, walked straight into
     * {@code FieldsV1} ({@link CreatedFields}) rather than compared with an empty object; false when the object's
     * shape is left to the general path.
     */
    private boolean recordCreate(ObjectNode next, String manager, Instant now) {
        ObjectNode fields = CreatedFields.of(type, next, scope(null));
        if (fields == null) {
            return false;
        }
        if (fields.isEmpty()) {
            ManagedFields.set(next, null);
            return true;
        }
        Manager id = Manager.update(managerOrUnknown(manager), apiVersion, null);
        ArrayNode list = Json.array();
        list.add(new Entry(id, apiVersion, time(now), FieldSet.fromFieldsV1(fields), null).toJson());
        ManagedFields.set(next, list);
        return true;
    }

    /** This field manager without the walk that records a create directly (to check it against the general path). */
    FieldManager withoutFastCreate() {
        return new FieldManager(type, group, version, apiVersion, kind, hasStatus, false);
    }

    private static Map<Manager, Entry> decodeOrEmpty(JsonNode list) {
        try {
            return ManagedFields.decode(list, true);
        } catch (IllegalArgumentException e) {
            return new LinkedHashMap<>();
        }
    }

    private static String managerOrUnknown(String manager) {
        return manager == null || manager.isEmpty() ? "unknown" : manager;
    }

    /**
     * The update from {@code before} to {@code after} by {@code manager}, recorded in {@code managed}; returns
     * whether anything changed.
     */
    private boolean recordUpdate(Map<Manager, Entry> managed, ObjectNode before, ObjectNode after, String manager,
                                 String subresource, Instant now) {
        Typed.Comparison c = Typed.compare(type, before, after, scope(subresource));
        if (c.isEmpty()) {
            return false;
        }
        FieldSet touched = filter(c.all(), subresource);
        for (Iterator<Map.Entry<Manager, Entry>> it = managed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Manager, Entry> e = it.next();
            FieldSet left = e.getValue().fields.difference(touched);
            if (left.isEmpty()) {
                it.remove();
            } else {
                e.setValue(e.getValue().withFields(left));
            }
        }
        FieldSet taken = stripMeta(filter(c.changed(), subresource));
        if (taken.isEmpty()) {
            return true;
        }
        Manager id = Manager.update(manager, apiVersion, subresource);
        Entry previous = managed.get(id);
        FieldSet fields = previous == null ? taken : taken.union(previous.fields);
        managed.put(id, new Entry(id, apiVersion, time(now), fields, null));
        return true;
    }

    private static FieldSet stripMeta(FieldSet s) {
        return s.difference(STRIPPED);
    }

    private static String time(Instant now) {
        return dev.drydock.kube.Timestamps.seconds(now);
    }

    private Typed.Scope scope(String subresource) {
        if ("status".equals(subresource)) {
            return f -> f.equals("status");
        }
        return hasStatus ? f -> !f.equals("status") : Typed.EVERYTHING;
    }

    /** kube's reset fields: the status is owned through its subresource only, and that owns nothing else. */
    private FieldSet filter(FieldSet s, String subresource) {
        if ("status".equals(subresource)) {
            return s.onlyField("status");
        }
        return hasStatus ? s.withoutField("status") : s;
    }

    private static ObjectNode withoutManagedFields(ObjectNode obj) {
        JsonNode meta = obj.get("metadata");
        if (meta == null || !meta.has("managedFields")) {
            return obj;
        }
        ObjectNode copy = obj.deepCopy(); // only the metadata needs copying, but objects are small
        ((ObjectNode) copy.get("metadata")).remove("managedFields");
        return copy;
    }

    // ---- apply

    /**
     * Server-side apply of {@code config} to {@code live} (null when the object does not exist yet) by
     * {@code manager}: the merged object, with its {@code managedFields}, to be admitted, validated and stored as an
     * update (or a create) is.
     *
     * @throws ApiException 409 Conflict naming each conflicting manager and field (unless {@code force}); 400 for a
     *                      configuration of another kind or with {@code managedFields}; 500, as kube answers, for one
     *                      that does not fit the kind's schema
     */
    public ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force, String subresource,
                            Instant now) {
        String configVersion = config.path("apiVersion").isTextual() ? config.get("apiVersion").asText() : "";
        String configKind = config.path("kind").isTextual() ? config.get("kind").asText() : "";
        if (!configVersion.equals(apiVersion) || !configKind.equals(kind)) {
            throw ApiException.of(400, "BadRequest", "invalid object type: " + gvk(configVersion, configKind));
        }
        JsonNode sentManaged = config.path("metadata").get("managedFields");
        if (sentManaged != null && sentManaged.isArray()) {
            throw ApiException.of(400, "BadRequest", "metadata.managedFields must be nil");
        }
        Map<Manager, Entry> managed;
        try {
            managed = ManagedFields.decode(ManagedFields.of(live), true);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiException.status(500, null, "failed to decode managed fields: "
                    + e.getMessage(), null));
        }
        ObjectNode liveObj = live == null ? Json.object() : withoutManagedFields(live);
        ObjectNode result;
        try {
            result = applyOnce(liveObj, live != null, managed, config, manager, force, subresource, now);
        } catch (Conflicts c) {
            // kube's lastAppliedManager: kubectl's first server-side apply of an object it applied client-side
            // takes the fields its last-applied-configuration set, when they still hold those values.
            FieldSet allowed = manager.equals("kubectl") && live != null ? allowedByLastApplied(liveObj) : null;
            if (allowed == null) {
                throw c.toApiException();
            }
            Conflicts left = c.without(allowed);
            if (!left.isEmpty()) {
                throw left.toApiException();
            }
            result = applyOnce(liveObj, true, managed, config, manager, true, subresource, now);
        }
        if (manager.equals("kubectl")) {
            keepLastAppliedInStep(result, config);
        }
        return result;
    }

    private ObjectNode applyOnce(ObjectNode live, boolean exists, Map<Manager, Entry> managedIn, ObjectNode config,
                                 String manager, boolean force, String subresource, Instant now) {
        Map<Manager, Entry> managed = new LinkedHashMap<>(managedIn);
        if (managed.isEmpty() && exists) {
            // kube's skipNonAppliedManager: an object no one manages is first owned by "before-first-apply"
            recordUpdate(managed, Json.object(), live, "before-first-apply", subresource, now);
        }
        Manager id = Manager.apply(manager, subresource);
        Typed.Errors errors = new Typed.Errors();
        FieldSet applied = Typed.toFieldSetChecked(type, config, errors);
        if (errors.any()) {
            throw new ApiException(ApiException.status(500, null, "failed to create typed patch object ("
                    + config.path("metadata").path("namespace").asText("") + "/"
                    + config.path("metadata").path("name").asText("") + "; " + gvk(apiVersion, kind) + "): "
                    + errors, null));
        }
        JsonNode m = Typed.merge(type, live, config);
        ObjectNode merged = m instanceof ObjectNode o ? o : Json.object();
        Entry last = managed.get(id);
        managed.put(id, new Entry(id, apiVersion, last == null ? null : last.time, filter(applied, subresource),
                null));
        merged = prune(merged, managed, last == null ? null : last.fields);
        Typed.Comparison c = Typed.compare(type, live, merged, scope(subresource));
        FieldSet changed = filter(c.changed(), subresource);
        FieldSet removed = filter(c.removed(), subresource);
        Map<Manager, FieldSet> conflicts = new TreeMap<>((a, b) -> a.id().compareTo(b.id()));
        for (Entry e : managed.values()) {
            if (!e.manager.equals(id)) {
                FieldSet conflict = e.fields.intersection(changed);
                if (!conflict.isEmpty()) {
                    conflicts.put(e.manager, conflict);
                }
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new Conflicts(conflicts);
        }
        for (Iterator<Map.Entry<Manager, Entry>> it = managed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Manager, Entry> e = it.next();
            if (e.getKey().equals(id)) {
                continue;
            }
            FieldSet left = e.getValue().fields.difference(conflicts.getOrDefault(e.getKey(), FieldSet.empty()))
                    .difference(removed);
            if (left.isEmpty()) {
                it.remove();
            } else {
                e.setValue(e.getValue().withFields(left));
            }
        }
        boolean objectChanged = !Typed.valueEquals(live, merged);
        Entry mine = managed.get(id);
        FieldSet owned = stripMeta(mine.fields);
        if (owned.isEmpty()) {
            managed.remove(id);
        } else {
            managed.put(id, new Entry(id, apiVersion, objectChanged ? time(now) : mine.time, owned, null));
        }
        ObjectNode result = objectChanged ? merged : live.deepCopy();
        ManagedFields.set(result, ManagedFields.encode(managed));
        return result;
    }

    /**
     * structured-merge-diff's {@code prune}: what the applier applied last time and no longer applies is removed,
     * unless another manager (or the applier's new configuration) owns it.
     */
    private ObjectNode prune(ObjectNode merged, Map<Manager, Entry> managed, FieldSet lastSet) {
        if (lastSet == null || lastSet.isEmpty()) {
            return merged;
        }
        FieldSet last = Typed.ensureNamedFieldsAreMembers(type, lastSet);
        JsonNode pruned = Typed.removeItems(type, merged, last);
        FieldSet owned = FieldSet.empty();
        for (Entry e : managed.values()) {
            owned = owned.union(e.fields);
        }
        FieldSet mergedSet = fieldsOf(merged);
        FieldSet prunedSet = fieldsOf(pruned);
        pruned = Typed.removeItems(type, merged, mergedSet.difference(prunedSet.union(
                Typed.ensureNamedFieldsAreMembers(type, owned))));
        prunedSet = fieldsOf(pruned);
        JsonNode out = Typed.removeItems(type, merged, mergedSet.difference(prunedSet).intersection(last));
        return out instanceof ObjectNode o ? o : Json.object();
    }

    private FieldSet fieldsOf(JsonNode obj) {
        return obj == null ? FieldSet.empty() : Typed.ensureNamedFieldsAreMembers(type, Typed.toFieldSet(type, obj));
    }

    /**
     * The fields kubectl's last-applied-configuration sets that still hold the values it gave them (kube's
     * {@code allowedConflictsFromLastApplied}), or null when there is none to go by.
     */
    private FieldSet allowedByLastApplied(ObjectNode live) {
        String text = live.path("metadata").path("annotations").path(LAST_APPLIED).asText("");
        if (text.isEmpty()) {
            return null;
        }
        JsonNode lastApplied;
        try {
            lastApplied = Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
        if (!(lastApplied instanceof ObjectNode obj) || !obj.path("apiVersion").asText("").equals(apiVersion)) {
            return null;
        }
        Typed.Errors errors = new Typed.Errors();
        FieldSet set = Typed.toFieldSetChecked(type, obj, errors);
        if (errors.any()) {
            return null;
        }
        Typed.Comparison c = Typed.compare(type, obj, live, Typed.EVERYTHING);
        return set.difference(c.modified()).difference(c.added()).difference(c.removed());
    }

    /**
     * kube's {@code lastAppliedUpdater}: after kubectl's server-side apply, an object that kept a
     * last-applied-configuration from client-side applies has it set to what was applied, so that a later
     * client-side apply starts from it (dropped when the annotations would grow past 256 KiB).
     */
    private static void keepLastAppliedInStep(ObjectNode result, ObjectNode config) {
        JsonNode annotations = result.path("metadata").path("annotations");
        if (!annotations.isObject() || annotations.path(LAST_APPLIED).asText("").isEmpty()) {
            return;
        }
        ObjectNode applied = config.deepCopy();
        if (applied.path("metadata").path("annotations") instanceof ObjectNode a) {
            a.remove(LAST_APPLIED);
        }
        String value = Json.string(sorted(applied));
        ObjectNode annots = (ObjectNode) annotations;
        annots.put(LAST_APPLIED, value);
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = annots.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += e.getKey().length() + e.getValue().asText().length();
        }
        if (size > 256 * 1024) {
            annots.remove(LAST_APPLIED);
        }
    }

    /** A copy with every object's keys sorted, as Go writes a map. */
    private static JsonNode sorted(JsonNode v) {
        if (v.isObject()) {
            ObjectNode out = Json.object();
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            keys.forEach(k -> out.set(k, sorted(v.get(k))));
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = Json.array();
            v.forEach(i -> out.add(sorted(i)));
            return out;
        }
        return v;
    }

    /** A group, version and kind as Go prints a {@code schema.GroupVersionKind}: {@code apps/v1, Kind=Deployment}. */
    private static String gvk(String apiVersion, String kind) {
        String group = "";
        String version = apiVersion;
        int slash = apiVersion.indexOf('/');
        if (slash >= 0) {
            group = apiVersion.substring(0, slash);
            version = apiVersion.substring(slash + 1);
            if (version.contains("/")) {
                return "/, Kind="; // not a group version: kube reads none
            }
        }
        return group + "/" + version + ", Kind=" + kind;
    }

    /** The conflicts of an apply: fields other managers own that the configuration would change. */
    static final class Conflicts extends RuntimeException {
        final Map<Manager, FieldSet> byManager;

        Conflicts(Map<Manager, FieldSet> byManager) {
            super(null, null, false, false);
            this.byManager = byManager;
        }

        boolean isEmpty() {
            return byManager.isEmpty();
        }

        /** These conflicts without the paths in {@code allowed}. */
        Conflicts without(FieldSet allowed) {
            Map<Manager, FieldSet> left = new TreeMap<>((a, b) -> a.id().compareTo(b.id()));
            byManager.forEach((m, s) -> {
                FieldSet rest = s.difference(allowed);
                if (!rest.isEmpty()) {
                    left.put(m, rest);
                }
            });
            return new Conflicts(left);
        }

        /** kube's 409 for them: a {@code Conflict} Status with a {@code FieldManagerConflict} cause per field. */
        ApiException toApiException() {
            List<String[]> all = new ArrayList<>();
            ArrayNode causes = Json.array();
            StringBuilder grouped = new StringBuilder();
            byManager.forEach((m, s) -> {
                if (grouped.length() > 0) {
                    grouped.append('\n');
                }
                grouped.append("conflicts with ").append(m.display()).append(':');
                s.forEachPath(p -> {
                    String path = PathElement.toString(p);
                    all.add(new String[] {m.display(), path});
                    grouped.append("\n- ").append(path);
                    ObjectNode cause = causes.addObject();
                    cause.put("reason", "FieldManagerConflict");
                    cause.put("message", "conflict with " + m.display());
                    cause.put("field", path);
                });
            });
            String message = all.size() == 1
                    ? "Apply failed with 1 conflict: conflict with " + all.get(0)[0] + ": " + all.get(0)[1]
                    : "Apply failed with " + all.size() + " conflicts: " + grouped;
            ObjectNode details = Json.object();
            details.set("causes", causes);
            return new ApiException(ApiException.status(409, "Conflict", message, details));
        }
    }
}
