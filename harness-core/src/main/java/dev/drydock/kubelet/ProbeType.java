package dev.drydock.kubelet;

/** The three probes of a container, with the names kube gives them in its spec and in its events. */
enum ProbeType {
    STARTUP("startupProbe", "Startup"),
    LIVENESS("livenessProbe", "Liveness"),
    READINESS("readinessProbe", "Readiness");

    private final String field;
    private final String display;

    ProbeType(String field, String display) {
        this.field = field;
        this.display = display;
    }

    /** The container's field that holds it, e.g. {@code livenessProbe}. */
    String field() {
        return field;
    }

    /** As kube's events name it, e.g. {@code Liveness} in "Liveness probe failed: ...". */
    @Override
    public String toString() {
        return display;
    }
}
