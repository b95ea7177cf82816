package dev.drydock.api.protobuf;

/**
 * Table rows for k8s.io/api policy/v1 (Eviction, PodDisruptionBudget) and the meta/v1 DeleteOptions an Eviction
 * carries; see {@link Schema} for the notation. Field numbers: policy/v1 and apimachinery meta/v1 generated.proto;
 * JSON: their types.go. {@code kubectl drain} posts Evictions and {@code kubectl create pdb} budgets this way.
 */
final class SchemaPolicyV1 {

    private SchemaPolicyV1() {
    }

    static final String TEXT = """
            package io.k8s.apimachinery.pkg.apis.meta.v1

            message DeleteOptions
              1  gracePeriodSeconds          int64                ptr
              2  preconditions               Preconditions        ptr
              3  orphanDependents            bool                 ptr
              4  propagationPolicy           string               ptr
              5  dryRun                      string               repeated
              6  ignoreStoreReadErrorWithClusterBreakingPotential bool ptr

            message Preconditions
              1  uid                         string               ptr
              2  resourceVersion             string               ptr

            package io.k8s.api.policy.v1
            root policy/v1 Eviction
            # kube takes a v1beta1 Eviction too: the same fields
            root policy/v1beta1 Eviction
            root policy/v1 PodDisruptionBudget

            message Eviction
              1  metadata                    ObjectMeta
              2  deleteOptions               DeleteOptions        ptr

            message PodDisruptionBudget
              1  metadata                    ObjectMeta
              2  spec                        PodDisruptionBudgetSpec
              3  status                      PodDisruptionBudgetStatus

            message PodDisruptionBudgetSpec
              1  minAvailable                IntOrString          ptr
              2  selector                    LabelSelector        ptr
              3  maxUnavailable              IntOrString          ptr
              4  unhealthyPodEvictionPolicy  string               ptr

            message PodDisruptionBudgetStatus
              1  observedGeneration          int64
              # map<string, Time>: never in what a client creates (the controller's)
              2  disruptedPods               map<Time>            unsupported
              3  disruptionsAllowed          int32                always
              4  currentHealthy              int32                always
              5  desiredHealthy              int32                always
              6  expectedPods                int32                always
              7  conditions                  Condition            repeated
            """;
}
