package dev.drydock.api.protobuf;

/**
 * Table rows for k8s.io/api apps/v1 (Deployment) and batch/v1 (Job, CronJob); see {@link Schema}
 * for the notation. Field numbers: apps/v1 and batch/v1 generated.proto; JSON: their types.go.
 */
final class SchemaAppsBatchV1 {

    private SchemaAppsBatchV1() {
    }

    static final String TEXT = """
            package io.k8s.api.apps.v1
            root apps/v1 Deployment

            message Deployment
              1  metadata                    ObjectMeta
              2  spec                        DeploymentSpec
              3  status                      DeploymentStatus

            message DeploymentSpec
              1  replicas                    int32                ptr
              2  selector                    LabelSelector        ptr always
              3  template                    PodTemplateSpec
              4  strategy                    DeploymentStrategy
              5  minReadySeconds             int32
              6  revisionHistoryLimit        int32                ptr
              7  paused                      bool
              9  progressDeadlineSeconds     int32                ptr

            message DeploymentStrategy
              1  type                        string
              2  rollingUpdate               RollingUpdateDeployment ptr

            message RollingUpdateDeployment
              1  maxUnavailable              IntOrString          ptr
              2  maxSurge                    IntOrString          ptr

            message DeploymentStatus
              1  observedGeneration          int64
              2  replicas                    int32
              3  updatedReplicas             int32
              7  readyReplicas               int32
              4  availableReplicas           int32
              5  unavailableReplicas         int32
              9  terminatingReplicas         int32                ptr
              6  conditions                  DeploymentCondition  repeated
              8  collisionCount              int32                ptr

            message DeploymentCondition
              1  type                        string               always
              2  status                      string               always
              6  lastUpdateTime              Time
              7  lastTransitionTime          Time
              4  reason                      string
              5  message                     string

            package io.k8s.api.batch.v1
            root batch/v1 Job
            root batch/v1 CronJob

            message Job
              1  metadata                    ObjectMeta
              2  spec                        JobSpec
              3  status                      JobStatus

            message JobSpec
              1  parallelism                 int32                ptr
              2  completions                 int32                ptr
              3  activeDeadlineSeconds       int64                ptr
              11 podFailurePolicy            PodFailurePolicy     ptr
              16 successPolicy               SuccessPolicy        ptr
              7  backoffLimit                int32                ptr
              12 backoffLimitPerIndex        int32                ptr
              13 maxFailedIndexes            int32                ptr
              4  selector                    LabelSelector        ptr
              5  manualSelector              bool                 ptr
              6  template                    PodTemplateSpec
              8  ttlSecondsAfterFinished     int32                ptr
              9  completionMode              string               ptr
              10 suspend                     bool                 ptr
              14 podReplacementPolicy        string               ptr
              15 managedBy                   string               ptr
              17 scheduling                  JobSchedulingConfiguration ptr unsupported

            message JobStatus
              1  conditions                  JobCondition         repeated
              2  startTime                   Time                 ptr
              3  completionTime              Time                 ptr
              4  active                      int32
              5  succeeded                   int32
              6  failed                      int32
              11 terminating                 int32                ptr
              7  completedIndexes            string
              10 failedIndexes               string               ptr
              8  uncountedTerminatedPods     UncountedTerminatedPods ptr
              9  ready                       int32                ptr

            message JobCondition
              1  type                        string               always
              2  status                      string               always
              3  lastProbeTime               Time
              4  lastTransitionTime          Time
              5  reason                      string
              6  message                     string

            message UncountedTerminatedPods
              1  succeeded                   string               repeated
              2  failed                      string               repeated

            message PodFailurePolicy
              1  rules                       PodFailurePolicyRule repeated always

            message PodFailurePolicyRule
              1  action                      string               always
              2  onExitCodes                 PodFailurePolicyOnExitCodesRequirement ptr
              3  onPodConditions             PodFailurePolicyOnPodConditionsPattern repeated

            message PodFailurePolicyOnExitCodesRequirement
              1  containerName               string               ptr
              2  operator                    string               always
              3  values                      int32                repeated always

            message PodFailurePolicyOnPodConditionsPattern
              1  type                        string               always
              2  status                      string               always

            message SuccessPolicy
              1  rules                       SuccessPolicyRule    repeated always

            message SuccessPolicyRule
              1  succeededIndexes            string               ptr
              2  succeededCount              int32                ptr

            message JobTemplateSpec
              1  metadata                    ObjectMeta
              2  spec                        JobSpec

            message CronJob
              1  metadata                    ObjectMeta
              2  spec                        CronJobSpec
              3  status                      CronJobStatus

            message CronJobSpec
              1  schedule                    string               always
              8  timeZone                    string               ptr
              2  startingDeadlineSeconds     int64                ptr
              3  concurrencyPolicy           string
              4  suspend                     bool                 ptr
              5  jobTemplate                 JobTemplateSpec
              6  successfulJobsHistoryLimit  int32                ptr
              7  failedJobsHistoryLimit      int32                ptr

            message CronJobStatus
              1  active                      ObjectReference      repeated
              4  lastScheduleTime            Time                 ptr
              5  lastSuccessfulTime          Time                 ptr
            """;
}
