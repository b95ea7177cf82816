package dev.drydock.api.table;

/**
 * Column descriptions of the core group's printers for Endpoints, ServiceAccounts, PersistentVolumes,
 * PersistentVolumeClaims, ResourceQuotas and ReplicationControllers, as kube-apiserver sends them (the swagger docs
 * of {@code k8s.io/api/core/v1}, byte for byte). The older kinds' are in {@link Descriptions}.
 */
final class CoreV1Descriptions {

    private CoreV1Descriptions() {
    }

    /** Endpoints.subsets */
    static final String ENDPOINTS_SUBSETS =
            "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to "
            + "the IPs they share. A single address with multiple ports, some of which are ready and some of which "
            + "are not (because they come from different containers) will result in the address being displayed in "
            + "different subsets for the different ports. No address will appear in both Addresses and "
            + "NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.";

    /** ServiceAccount.secrets */
    static final String SERVICE_ACCOUNT_SECRETS =
            "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are "
            + "allowed to use. Pods are only limited to this list if this service account has a "
            + "\"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The "
            + "\"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate "
            + "namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated "
            + "service account token secrets for use outside of pods. Instead, tokens can be requested directly "
            + "using the TokenRequest API, or service account token secrets can be manually created. More info: "
            + "https://kubernetes.io/docs/concepts/configuration/secret";

    /** PersistentVolumeSpec.capacity */
    static final String PV_CAPACITY =
            "capacity is the description of the persistent volume's resources and capacity. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity";

    /** PersistentVolumeSpec.accessModes */
    static final String PV_ACCESS_MODES =
            "accessModes contains all ways the volume can be mounted. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes";

    /** PersistentVolumeSpec.persistentVolumeReclaimPolicy */
    static final String PV_RECLAIM_POLICY =
            "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. "
            + "Valid options are Retain (default for manually created PersistentVolumes), Delete (default for "
            + "dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the "
            + "volume plugin underlying this PersistentVolume. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming";

    /** PersistentVolumeStatus.phase */
    static final String PV_PHASE =
            "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase";

    /** PersistentVolumeSpec.claimRef */
    static final String PV_CLAIM_REF =
            "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. "
            + "Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More "
            + "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding";

    /** PersistentVolumeStatus.reason */
    static final String PV_REASON =
            "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and "
            + "tidy display in the CLI.";

    /** PersistentVolumeSpec.volumeMode */
    static final String PV_VOLUME_MODE =
            "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw "
            + "block state. Value of Filesystem is implied when not included in spec.";

    /** PersistentVolumeClaimStatus.phase */
    static final String PVC_PHASE = "phase represents the current phase of PersistentVolumeClaim.";

    /** PersistentVolumeClaimSpec.volumeName */
    static final String PVC_VOLUME_NAME =
            "volumeName is the binding reference to the PersistentVolume backing this claim.";

    /** PersistentVolumeClaimStatus.capacity */
    static final String PVC_CAPACITY = "capacity represents the actual resources of the underlying volume.";

    /** PersistentVolumeClaimStatus.accessModes */
    static final String PVC_ACCESS_MODES =
            "accessModes contains the actual access modes the volume backing the PVC has. More info: "
            + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1";

    /** PersistentVolumeClaimSpec.volumeMode */
    static final String PVC_VOLUME_MODE =
            "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when "
            + "not included in claim spec.";

    /** The ResourceQuota printer's own REQUEST column. */
    static final String QUOTA_REQUEST =
            "Request represents a minimum amount of cpu/memory that a container may consume.";

    /** The ResourceQuota printer's own LIMIT column. */
    static final String QUOTA_LIMIT =
            "Limits control the maximum amount of cpu/memory that a container may use independent of contention on "
            + "the node.";

    /** ReplicationControllerSpec.replicas */
    static final String RC_DESIRED =
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and "
            + "unspecified. Defaults to 1. More info: "
            + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";

    /** ReplicationControllerStatus.replicas */
    static final String RC_CURRENT =
            "Replicas is the most recently observed number of replicas. More info: "
            + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";

    /** ReplicationControllerStatus.readyReplicas */
    static final String RC_READY = "The number of ready replicas for this replication controller.";

    /** ReplicationControllerSpec.selector */
    static final String RC_SELECTOR =
            "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is "
            + "defaulted to the labels present on the Pod template. Label keys and values that must match in order "
            + "to be controlled by this replication controller, if empty defaulted to labels on Pod template. More "
            + "info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
}
