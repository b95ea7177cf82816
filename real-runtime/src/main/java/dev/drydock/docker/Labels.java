package dev.drydock.docker;

/** The labels drydock puts on everything it creates in the Docker engine, so that all of it can be found and removed. */
final class Labels {

    /** Marks a drydock object: the id of the cluster instance that made it (unique per cluster start). */
    static final String INSTANCE = "dev.drydock.instance";
    /** The cluster's name. */
    static final String CLUSTER = "dev.drydock.cluster";
    /** The host and process id of the JVM that made it, so that a later run can remove what a killed JVM left. */
    static final String OWNER = "dev.drydock.owner";
    static final String NODE = "dev.drydock.node";
    /** {@code namespace/name} of the pod. */
    static final String POD = "dev.drydock.pod";
    static final String POD_UID = "dev.drydock.pod-uid";
    /** The container's name in the pod spec; absent on a sandbox. */
    static final String CONTAINER = "dev.drydock.container";
    /** On an app container: its sandbox's id. On a sandbox: {@code true} under {@link #IS_SANDBOX}. */
    static final String SANDBOX = "dev.drydock.sandbox";
    static final String IS_SANDBOX = "dev.drydock.is-sandbox";

    private Labels() {
    }
}
