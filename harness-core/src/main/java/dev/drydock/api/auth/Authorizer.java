package dev.drydock.api.auth;

import dev.drydock.api.ResourceStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a user may do something, as kube's {@code authorizer.Authorizer}. The SubjectAccessReview kinds
 * answer with {@link #forCluster}: kube-apiserver's chain of the {@code system:masters} group (allowed everything)
 * and RBAC over the Roles, ClusterRoles and bindings that are stored.
 *
 * <p>drydock does not enforce authorization on its own requests yet (every caller is {@link UserInfo#ADMIN}); the
 * authorizer answers the reviews that tests and operators send.
 */
@FunctionalInterface
public interface Authorizer {

    /** Decides on one request. */
    Decision authorize(Attributes attributes);

    /** kube's {@code AlwaysAllow} mode. */
    Authorizer ALWAYS_ALLOW = attributes -> Decision.allow("");

    /** The authorizer of a drydock cluster: {@code system:masters}, then RBAC over {@code storage}. */
    static Authorizer forCluster(ResourceStorage storage) {
        return union(privilegedGroups(UserInfo.SYSTEM_MASTERS), new RbacAuthorizer(storage));
    }

    /** kube's privileged group authorizer: a user in one of the groups is allowed everything, with no reason. */
    static Authorizer privilegedGroups(String... groups) {
        Set<String> privileged = Set.of(groups);
        return attributes -> attributes.user().groups().stream().anyMatch(privileged::contains)
                ? Decision.allow("") : Decision.noOpinion("", "");
    }

    /**
     * kube's union of authorizers: the first that allows or denies decides; when none does, the answer is no opinion
     * with every reason, one per line, and every evaluation error.
     */
    static Authorizer union(Authorizer... authorizers) {
        List<Authorizer> chain = List.of(authorizers);
        return attributes -> {
            List<String> reasons = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Authorizer a : chain) {
                Decision d = a.authorize(attributes);
                if (d.kind() != Decision.Kind.NO_OPINION) {
                    return d;
                }
                if (!d.reason().isEmpty()) {
                    reasons.add(d.reason());
                }
                if (!d.evaluationError().isEmpty()) {
                    errors.add(d.evaluationError());
                }
            }
            return Decision.noOpinion(String.join("\n", reasons), RbacAuthorizer.aggregate(errors));
        };
    }
}
