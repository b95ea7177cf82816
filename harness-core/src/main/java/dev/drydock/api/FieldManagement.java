package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.apply.FieldManager;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API server's writes ask of field management besides the {@link FieldManager} itself: the manager a request
 * writes as, kube's checks of the {@code fieldManager}, {@code force} and {@code dryRun} options, and the default
 * {@code User-Agent} of the cluster's own components.
 */
final class FieldManagement {

    /** The kube release whose components' user agents drydock's components go by. */
    private static final String KUBE_VERSION = "v1.32.0";

    private FieldManagement() {
    }

    /** The manager of a write: its {@code fieldManager}, or its {@code User-Agent} up to the first {@code /}. */
    static String manager(ApiRequest req) {
        String m = req.param("fieldManager");
        return m != null ? m : FieldManager.managerFromUserAgent(req.userAgent());
    }

    /** Whether a request is a server-side apply. */
    static boolean isApply(ApiRequest req) {
        return req.verb() == ApiRequest.Verb.PATCH && Patches.mediaType(req).equals(Patches.APPLY);
    }

    /**
     * kube's {@code ValidateCreateOptions}, {@code ValidateUpdateOptions} and {@code ValidatePatchOptions}: a
     * {@code fieldManager} of at most 128 bytes of printable characters, required for apply; {@code force} for apply
     * only; {@code dryRun} only {@code All}. A 422 on the options kind ({@code PatchOptions.meta.k8s.io "" is
     * invalid: ...}).
     */
    static void checkOptions(ApiRequest req) {
        String optionsKind = switch (req.verb()) {
            case CREATE -> "CreateOptions";
            case UPDATE -> "UpdateOptions";
            case PATCH -> "PatchOptions";
            default -> null;
        };
        if (optionsKind == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        String manager = req.params().getOrDefault("fieldManager", "");
        if (req.verb() == ApiRequest.Verb.PATCH) {
            if (isApply(req)) {
                if (manager.isEmpty()) {
                    errors.add(FieldError.required("fieldManager", "is required for apply patch"));
                }
            } else if (req.params().containsKey("force")) {
                errors.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
            }
        }
        if (manager.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > FieldManager.MAX_MANAGER_LENGTH) {
            errors.add(FieldError.tooLong("fieldManager", FieldManager.MAX_MANAGER_LENGTH));
        }
        int position = 0;
        for (int i = 0; i < manager.length(); ) {
            int c = manager.codePointAt(i);
            if (!FieldManager.isPrint(c)) {
                // Go's %#U of an unprintable rune shows no glyph; the position is a byte offset
                errors.add(FieldError.invalid("fieldManager", manager, "invalid character "
                        + String.format("U+%04X", c) + " (at position " + position + ")"));
            }
            position += new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            i += Character.charCount(c);
        }
        String dryRun = req.params().get("dryRun");
        if (dryRun != null && !dryRun.equals("All")) {
            errors.add(FieldError.notSupported("dryRun", new FieldError.Raw(FieldError.goStrings(List.of(dryRun))),
                    List.of("All")));
        }
        if (!errors.isEmpty()) {
            throw Errors.invalid("meta.k8s.io", optionsKind, "", errors);
        }
    }

    /** The {@code force} option of an apply (Go's {@code strconv.ParseBool}). */
    static boolean force(ApiRequest req) {
        String v = req.param("force");
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw ApiException.of(400, "BadRequest", "strconv.ParseBool: parsing "
                    + dev.drydock.api.schema.GoFormat.quote(v) + ": invalid syntax");
        };
    }

    /**
     * The {@code User-Agent} a cluster component sends, as kube's own components send theirs (their managers in
     * {@code managedFields} are then kube's: {@code kube-scheduler}, {@code kube-controller-manager},
     * {@code kubelet}); null for a test's or a tool's client.
     */
    static String componentUserAgent(String party) {
        String binary = switch (party) {
            case "scheduler" -> "kube-scheduler";
            case "controller-manager" -> "kube-controller-manager";
            case dev.drydock.net.Network.TEST -> null;
            default -> "kubelet";
        };
        return binary == null ? null : binary + "/" + KUBE_VERSION + " (linux/amd64) kubernetes/drydock";
    }

    /** Sets the {@code managedFields} of {@code target} to those of {@code source} (none if it has none). */
    static void copyManagedFields(ObjectNode source, ObjectNode target) {
        JsonNode mf = source.path("metadata").get("managedFields");
        ObjectNode meta = Json.with(target, "metadata");
        if (mf == null || mf.isNull()) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", mf);
        }
    }
}
