package dev.drydock.api.protobuf;

/**
 * Table rows for the kinds kubectl sends as protobuf in {@code create role|clusterrole|rolebinding|
 * clusterrolebinding|ingress|priorityclass}, {@code auth can-i}, {@code auth whoami} and {@code certificate approve}:
 * k8s.io/api rbac/v1, networking/v1 (Ingress), scheduling/v1, authorization/v1, authentication/v1 and
 * certificates/v1; see {@link Schema} for the notation. Field numbers: their generated.proto; JSON: their types.go.
 * Refused (kubectl never sends them): an Ingress resource backend, the {@code extra} maps of user info (maps of
 * string lists), and the field and label selectors of access review attributes.
 */
final class SchemaAuthPolicyV1 {

    private SchemaAuthPolicyV1() {
    }

    static final String TEXT = """
            package io.k8s.api.rbac.v1
            root rbac.authorization.k8s.io/v1 Role
            root rbac.authorization.k8s.io/v1 ClusterRole
            root rbac.authorization.k8s.io/v1 RoleBinding
            root rbac.authorization.k8s.io/v1 ClusterRoleBinding

            message Role
              1  metadata                    ObjectMeta
              2  rules                       PolicyRule           repeated always

            message ClusterRole
              1  metadata                    ObjectMeta
              2  rules                       PolicyRule           repeated always
              3  aggregationRule             AggregationRule      ptr

            message AggregationRule
              1  clusterRoleSelectors        LabelSelector        repeated

            message PolicyRule
              1  verbs                       string               repeated always
              2  apiGroups                   string               repeated
              3  resources                   string               repeated
              4  resourceNames               string               repeated
              5  nonResourceURLs             string               repeated

            message RoleBinding
              1  metadata                    ObjectMeta
              2  subjects                    Subject              repeated
              3  roleRef                     RoleRef

            message ClusterRoleBinding
              1  metadata                    ObjectMeta
              2  subjects                    Subject              repeated
              3  roleRef                     RoleRef

            message Subject
              1  kind                        string               always
              2  apiGroup                    string
              3  name                        string               always
              4  namespace                   string

            message RoleRef
              1  apiGroup                    string               always
              2  kind                        string               always
              3  name                        string               always

            package io.k8s.api.networking.v1
            root networking.k8s.io/v1 Ingress

            message Ingress
              1  metadata                    ObjectMeta
              2  spec                        IngressSpec
              3  status                      IngressStatus

            message IngressSpec
              4  ingressClassName            string               ptr
              1  defaultBackend              IngressBackend       ptr
              2  tls                         IngressTLS           repeated
              3  rules                       IngressRule          repeated

            message IngressTLS
              1  hosts                       string               repeated
              2  secretName                  string

            message IngressRule
              1  host                        string
              2  ingressRuleValue            IngressRuleValue     inline

            message IngressRuleValue
              1  http                        HTTPIngressRuleValue ptr

            message HTTPIngressRuleValue
              1  paths                       HTTPIngressPath      repeated always

            message HTTPIngressPath
              1  path                        string
              3  pathType                    string               ptr always
              2  backend                     IngressBackend

            message IngressBackend
              4  service                     IngressServiceBackend ptr
              3  resource                    TypedLocalObjectReference ptr unsupported

            message IngressServiceBackend
              1  name                        string               always
              2  port                        ServiceBackendPort

            message ServiceBackendPort
              1  name                        string
              2  number                      int32

            message IngressStatus
              1  loadBalancer                IngressLoadBalancerStatus

            message IngressLoadBalancerStatus
              1  ingress                     IngressLoadBalancerIngress repeated

            message IngressLoadBalancerIngress
              1  ip                          string
              2  hostname                    string
              4  ports                       IngressPortStatus    repeated

            message IngressPortStatus
              1  port                        int32                always
              2  protocol                    string               always
              3  error                       string               ptr

            package io.k8s.api.scheduling.v1
            root scheduling.k8s.io/v1 PriorityClass

            message PriorityClass
              1  metadata                    ObjectMeta
              2  value                       int32                always
              3  globalDefault               bool
              4  description                 string
              5  preemptionPolicy            string               ptr

            package io.k8s.api.authorization.v1
            root authorization.k8s.io/v1 SubjectAccessReview
            root authorization.k8s.io/v1 LocalSubjectAccessReview
            root authorization.k8s.io/v1 SelfSubjectAccessReview
            root authorization.k8s.io/v1 SelfSubjectRulesReview

            message SubjectAccessReview
              1  metadata                    ObjectMeta
              2  spec                        SubjectAccessReviewSpec
              3  status                      SubjectAccessReviewStatus

            message LocalSubjectAccessReview
              1  metadata                    ObjectMeta
              2  spec                        SubjectAccessReviewSpec
              3  status                      SubjectAccessReviewStatus

            message SubjectAccessReviewSpec
              1  resourceAttributes          ResourceAttributes   ptr
              2  nonResourceAttributes       NonResourceAttributes ptr
              3  user                        string
              4  groups                      string               repeated
              5  extra                       map<string>          unsupported
              6  uid                         string

            message SelfSubjectAccessReview
              1  metadata                    ObjectMeta
              2  spec                        SelfSubjectAccessReviewSpec
              3  status                      SubjectAccessReviewStatus

            message SelfSubjectAccessReviewSpec
              1  resourceAttributes          ResourceAttributes   ptr
              2  nonResourceAttributes       NonResourceAttributes ptr

            message ResourceAttributes
              1  namespace                   string
              2  verb                        string
              3  group                       string
              4  version                     string
              5  resource                    string
              6  subresource                 string
              7  name                        string
              8  fieldSelector               FieldSelectorAttributes ptr unsupported
              9  labelSelector               LabelSelectorAttributes ptr unsupported

            message NonResourceAttributes
              1  path                        string
              2  verb                        string

            message SubjectAccessReviewStatus
              1  allowed                     bool                 always
              4  denied                      bool
              2  reason                      string
              3  evaluationError             string

            message SelfSubjectRulesReview
              1  metadata                    ObjectMeta
              2  spec                        SelfSubjectRulesReviewSpec
              3  status                      SubjectRulesReviewStatus

            message SelfSubjectRulesReviewSpec
              1  namespace                   string

            message SubjectRulesReviewStatus
              1  resourceRules               ResourceRule         repeated always
              2  nonResourceRules            NonResourceRule      repeated always
              3  incomplete                  bool                 always
              4  evaluationError             string

            message ResourceRule
              1  verbs                       string               repeated always
              2  apiGroups                   string               repeated
              3  resources                   string               repeated
              4  resourceNames               string               repeated

            message NonResourceRule
              1  verbs                       string               repeated always
              2  nonResourceURLs             string               repeated

            package io.k8s.api.authentication.v1
            root authentication.k8s.io/v1 TokenReview
            root authentication.k8s.io/v1 SelfSubjectReview

            message TokenReview
              1  metadata                    ObjectMeta
              2  spec                        TokenReviewSpec
              3  status                      TokenReviewStatus

            message TokenReviewSpec
              1  token                       string
              2  audiences                   string               repeated

            message TokenReviewStatus
              1  authenticated               bool
              2  user                        UserInfo
              4  audiences                   string               repeated
              3  error                       string

            message SelfSubjectReview
              1  metadata                    ObjectMeta
              2  status                      SelfSubjectReviewStatus

            message SelfSubjectReviewStatus
              1  userInfo                    UserInfo

            message UserInfo
              1  username                    string
              2  uid                         string
              3  groups                      string               repeated
              4  extra                       map<string>          unsupported

            package io.k8s.api.certificates.v1
            root certificates.k8s.io/v1 CertificateSigningRequest

            message CertificateSigningRequest
              1  metadata                    ObjectMeta
              2  spec                        CertificateSigningRequestSpec
              3  status                      CertificateSigningRequestStatus

            message CertificateSigningRequestSpec
              1  request                     bytes                always
              7  signerName                  string               always
              8  expirationSeconds           int32                ptr
              5  usages                      string               repeated
              2  username                    string
              3  uid                         string
              4  groups                      string               repeated
              6  extra                       map<string>          unsupported

            message CertificateSigningRequestStatus
              1  conditions                  CertificateSigningRequestCondition repeated
              2  certificate                 bytes

            message CertificateSigningRequestCondition
              1  type                        string               always
              6  status                      string               always
              2  reason                      string
              3  message                     string
              4  lastUpdateTime              Time
              5  lastTransitionTime          Time
            """;
}
