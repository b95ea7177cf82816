package dev.drydock.api.auth;

/**
 * What an authorizer decides on, as kube's {@code authorizer.Attributes}: who asks, the verb, and either a resource
 * (group, version, resource, subresource, namespace, name) or a non-resource URL path.
 *
 * @param resourceRequest whether the request is for a resource (else for {@link #path})
 */
public record Attributes(UserInfo user, String verb, String namespace, String apiGroup, String apiVersion,
                         String resource, String subresource, String name, boolean resourceRequest, String path) {

    public Attributes {
        verb = orEmpty(verb);
        namespace = orEmpty(namespace);
        apiGroup = orEmpty(apiGroup);
        apiVersion = orEmpty(apiVersion);
        resource = orEmpty(resource);
        subresource = orEmpty(subresource);
        name = orEmpty(name);
        path = orEmpty(path);
    }

    /**
     * A request for a resource; an empty version stands for every version ({@code *}), as the SubjectAccessReview
     * registry reads it.
     */
    public static Attributes resource(UserInfo user, String verb, String namespace, String apiGroup,
                                      String apiVersion, String resource, String subresource, String name) {
        return new Attributes(user, verb, namespace, apiGroup,
                apiVersion == null || apiVersion.isEmpty() ? "*" : apiVersion, resource, subresource, name, true, "");
    }

    /** A request for a non-resource URL such as {@code /healthz}. */
    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, "", "", "", "", "", "", false, path);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
