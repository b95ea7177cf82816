package dev.drydock.api.protobuf;

/**
 * Table rows for k8s.io/apimachinery/pkg/apis/meta/v1 (see {@link Schema} for the notation).
 * Field numbers: apimachinery pkg/apis/meta/v1/generated.proto; JSON names and omitempty: types.go.
 */
final class SchemaMetaV1 {

    private SchemaMetaV1() {
    }

    static final String TEXT = """
            package io.k8s.apimachinery.pkg.apis.meta.v1

            message ObjectMeta
              1  name                        string
              2  generateName                string
              3  namespace                   string
              4  selfLink                    string
              5  uid                         string
              6  resourceVersion             string
              7  generation                  int64
              # A struct, so encoding/json writes it even when zero: "creationTimestamp": null, as kube
              # up to 1.34 (and kubectl 1.32) do. Newer apimachinery adds omitzero and leaves it out.
              8  creationTimestamp           Time
              9  deletionTimestamp           Time                 ptr
              10 deletionGracePeriodSeconds  int64                ptr
              11 labels                      map<string>
              12 annotations                 map<string>
              13 ownerReferences             OwnerReference       repeated
              14 finalizers                  string               repeated
              17 managedFields               ManagedFieldsEntry   repeated

            message OwnerReference
              5  apiVersion                  string               always
              1  kind                        string               always
              3  name                        string               always
              4  uid                         string               always
              6  controller                  bool                 ptr
              7  blockOwnerDeletion          bool                 ptr

            message ManagedFieldsEntry
              1  manager                     string
              2  operation                   string
              3  apiVersion                  string
              4  time                        Time                 ptr
              6  fieldsType                  string
              7  fieldsV1                    FieldsV1             ptr
              8  subresource                 string

            message LabelSelector
              1  matchLabels                 map<string>
              2  matchExpressions            LabelSelectorRequirement repeated

            message LabelSelectorRequirement
              1  key                         string               always
              2  operator                    string               always
              3  values                      string               repeated

            message Condition
              1  type                        string               always
              2  status                      string               always
              3  observedGeneration          int64
              4  lastTransitionTime          Time
              5  reason                      string               always
              6  message                     string               always
            """;
}
