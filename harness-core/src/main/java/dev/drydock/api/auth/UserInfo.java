package dev.drydock.api.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who makes a request, as kube's {@code user.Info}: a user name, a uid, the groups the user is in and extra
 * attributes. RBAC bindings name users, groups and service accounts; a service account's user is
 * {@code system:serviceaccount:<namespace>:<name>} in the groups {@code system:serviceaccounts},
 * {@code system:serviceaccounts:<namespace>} and {@code system:authenticated}.
 *
 * <p>drydock does not authorize requests yet: a request is attributed to the client identity whose bearer token it
 * carries ({@link Identities}: a network party of its own, an admin in {@code system:masters}), else it is made by
 * {@link #ADMIN}, the identity of an admin kubeconfig, whose group {@code system:masters} kube allows everything.
 *
 * @param username the user name ({@code alice}, {@code system:serviceaccount:default:builder})
 * @param uid      a unique id, or empty
 * @param groups   the groups the user is in
 * @param extra    extra attributes (e.g. {@code authentication.kubernetes.io/credential-id}), or empty
 */
public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** The group kube-apiserver allows everything, whatever RBAC says. */
    public static final String SYSTEM_MASTERS = "system:masters";
    /** The group of every authenticated user. */
    public static final String AUTHENTICATED = "system:authenticated";
    /** The group of every service account. */
    public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
    /** The user name prefix of service accounts. */
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    /**
     * The caller of every request while drydock has no authentication: the admin user of a kubeadm (or kind)
     * cluster's admin kubeconfig, in {@code system:masters}. Its SelfSubjectAccessReviews are all allowed.
     */
    public static final UserInfo ADMIN = new UserInfo("kubernetes-admin", "",
            List.of(SYSTEM_MASTERS, AUTHENTICATED), Map.of());

    public UserInfo {
        username = username == null ? "" : username;
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A user with a name and groups only. */
    public static UserInfo of(String username, String... groups) {
        return new UserInfo(username, "", List.of(groups), Map.of());
    }

    /**
     * The user a service account's token authenticates as, with kube's user name and groups.
     *
     * @param extra e.g. the credential id and the pod a token is bound to, as kube's authenticator sets them
     */
    public static UserInfo serviceAccount(String namespace, String name, String uid,
                                          Map<String, List<String>> extra) {
        return new UserInfo(serviceAccountUsername(namespace, name), uid,
                List.of(SERVICE_ACCOUNTS, SERVICE_ACCOUNTS + ":" + namespace, AUTHENTICATED), extra);
    }

    /** {@code system:serviceaccount:<namespace>:<name>}. */
    public static String serviceAccountUsername(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    /** The user as kube's {@code authentication.k8s.io/v1 UserInfo} JSON: empty fields are left out. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        if (!username.isEmpty()) {
            json.put("username", username);
        }
        if (!uid.isEmpty()) {
            json.put("uid", uid);
        }
        if (!groups.isEmpty()) {
            ArrayNode g = json.putArray("groups");
            groups.forEach(g::add);
        }
        if (!extra.isEmpty()) {
            ObjectNode e = json.putObject("extra");
            new java.util.TreeMap<>(extra).forEach((k, v) -> {
                ArrayNode values = e.putArray(k);
                v.forEach(values::add);
            });
        }
        return json;
    }

    /** The {@code extra} of a SubjectAccessReview spec ({@code {"key": ["a", "b"]}}), or an empty map. */
    static Map<String, List<String>> extraOf(com.fasterxml.jackson.databind.JsonNode extra) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (extra != null) {
            extra.properties().forEach(e -> {
                List<String> values = new java.util.ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                out.put(e.getKey(), values);
            });
        }
        return out;
    }
}
