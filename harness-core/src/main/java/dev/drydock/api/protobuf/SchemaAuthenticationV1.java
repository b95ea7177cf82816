package dev.drydock.api.protobuf;

/**
 * Table rows for k8s.io/api authentication/v1 (see {@link Schema} for the notation): the TokenRequest that
 * {@code kubectl create token} sends to {@code serviceaccounts/<name>/token}. Field numbers:
 * authentication/v1/generated.proto; JSON: its types.go.
 */
final class SchemaAuthenticationV1 {

    private SchemaAuthenticationV1() {
    }

    static final String TEXT = """
            package io.k8s.api.authentication.v1
            root authentication.k8s.io/v1 TokenRequest

            message TokenRequest
              1  metadata                    ObjectMeta
              2  spec                        TokenRequestSpec
              3  status                      TokenRequestStatus

            message TokenRequestSpec
              # []string without omitempty: "audiences": null when unset.
              1  audiences                   string               repeated always
              4  expirationSeconds           int64                ptr
              3  boundObjectRef              BoundObjectReference ptr

            message BoundObjectReference
              1  kind                        string
              2  apiVersion                  string
              3  name                        string
              4  uid                         string

            message TokenRequestStatus
              1  token                       string               always
              2  expirationTimestamp         Time
            """;
}
