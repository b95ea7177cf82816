package dev.drydock.api.auth;

/**
 * An authorizer's answer, as kube's {@code authorizer.Decision} with its reason and evaluation error: allowed,
 * denied, or no opinion (the next authorizer decides; when none does, the request is not allowed).
 *
 * @param reason          why, for people (kube's {@code RBAC: allowed by ...}), or empty
 * @param evaluationError what went wrong while deciding (a binding naming a role that does not exist), or empty
 */
public record Decision(Kind kind, String reason, String evaluationError) {

    /** The three answers kube's authorizers give. */
    public enum Kind { ALLOW, DENY, NO_OPINION }

    public Decision {
        reason = reason == null ? "" : reason;
        evaluationError = evaluationError == null ? "" : evaluationError;
    }

    public static Decision allow(String reason) {
        return new Decision(Kind.ALLOW, reason, "");
    }

    public static Decision noOpinion(String reason, String evaluationError) {
        return new Decision(Kind.NO_OPINION, reason, evaluationError);
    }

    public boolean allowed() {
        return kind == Kind.ALLOW;
    }

    public boolean denied() {
        return kind == Kind.DENY;
    }
}
