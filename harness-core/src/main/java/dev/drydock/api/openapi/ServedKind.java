package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * One kind the API server serves, as the OpenAPI documents need it. The documents are built from the list of these
 * that the server serves at the moment of each request, so a custom resource appears as soon as its kind is served.
 *
 * @param group        API group, empty for the core group
 * @param version      e.g. {@code v1}
 * @param kind         e.g. {@code Deployment}
 * @param listKind     e.g. {@code DeploymentList}
 * @param plural       the resource name in paths, e.g. {@code deployments}
 * @param namespaced   whether objects live in a namespace
 * @param subresources those served, e.g. {@code status}, {@code scale}; the documents describe {@code status},
 *                     {@code scale}, {@code binding} and {@code eviction}
 * @param schema       null for a built-in kind, whose schema is Kubernetes' own; for a custom resource, the
 *                     {@code openAPIV3Schema} of its CustomResourceDefinition version (structural; {@code apiVersion},
 *                     {@code kind} and {@code metadata} are added as kube-apiserver adds them)
 */
public record ServedKind(String group, String version, String kind, String listKind, String plural,
                         boolean namespaced, Set<String> subresources, JsonNode schema) {

    public ServedKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(listKind, "listKind");
        Objects.requireNonNull(plural, "plural");
        subresources = Set.copyOf(subresources);
        schema = schema == null ? null : schema.deepCopy();
    }

    /** A kind built into Kubernetes, described by Kubernetes' own schema. */
    public static ServedKind builtIn(String group, String version, String kind, String plural, boolean namespaced,
                                     Set<String> subresources) {
        return new ServedKind(group, version, kind, kind + "List", plural, namespaced, subresources, null);
    }

    /** A custom resource, described by the {@code openAPIV3Schema} of its CustomResourceDefinition's version. */
    public static ServedKind custom(String group, String version, String kind, String listKind, String plural,
                                    boolean namespaced, Set<String> subresources, JsonNode openAPIV3Schema) {
        return new ServedKind(group, version, kind, listKind, plural, namespaced, subresources,
                Objects.requireNonNull(openAPIV3Schema, "openAPIV3Schema"));
    }

    /** Whether this is a custom resource (its schema is its CustomResourceDefinition's). */
    public boolean isCustom() {
        return schema != null;
    }

    /** {@code api/v1} or {@code apis/apps/v1}: the key of this kind's document in the {@code /openapi/v3} index. */
    public String groupVersionPath() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
