/**
 * Server-side apply and {@code metadata.managedFields}, as kube-apiserver's field manager does them over
 * structured-merge-diff: field sets in the {@code FieldsV1} format ({@link dev.drydock.api.apply.FieldSet},
 * {@link dev.drydock.api.apply.PathElement}), objects merged, compared and pruned by the merge types of their schema
 * (list and map types of Kubernetes 1.32's schemas for built-in kinds, a CRD's structural schema, types deduced from
 * values otherwise), and the {@link dev.drydock.api.apply.FieldManager} of a kind, which records every write's manager
 * and merges applied configurations, with kube's conflicts, releases and errors. The API server calls it; it knows
 * nothing of storage.
 */
package dev.drydock.api.apply;
