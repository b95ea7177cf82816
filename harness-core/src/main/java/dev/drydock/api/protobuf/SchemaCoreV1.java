package dev.drydock.api.protobuf;

/**
 * Table rows for k8s.io/api core/v1 (see {@link Schema} for the notation). Field numbers:
 * core/v1/generated.proto; JSON names and omitempty: core/v1/types.go. Fields marked
 * {@code unsupported} (affinity, ephemeral containers, dynamic resource claims, most volume
 * plugins, container statuses, ...) make decoding fail instead of being dropped.
 */
final class SchemaCoreV1 {

    private SchemaCoreV1() {
    }

    static final String TEXT = """
            package io.k8s.api.core.v1
            root v1 Namespace
            root v1 ConfigMap
            root v1 Secret
            root v1 Service
            root v1 ServiceAccount
            root v1 ResourceQuota
            root v1 Pod

            # ---- Namespace, ConfigMap, Secret, ServiceAccount ----

            message Namespace
              1  metadata                    ObjectMeta
              2  spec                        NamespaceSpec
              3  status                      NamespaceStatus

            message NamespaceSpec
              1  finalizers                  string               repeated

            message NamespaceStatus
              1  phase                       string
              2  conditions                  NamespaceCondition   repeated

            message NamespaceCondition
              1  type                        string               always
              2  status                      string               always
              4  lastTransitionTime          Time
              5  reason                      string
              6  message                     string

            message ConfigMap
              1  metadata                    ObjectMeta
              4  immutable                   bool                 ptr
              2  data                        map<string>
              3  binaryData                  map<bytes>

            message Secret
              1  metadata                    ObjectMeta
              5  immutable                   bool                 ptr
              2  data                        map<bytes>
              4  stringData                  map<string>
              3  type                        string

            message ServiceAccount
              1  metadata                    ObjectMeta
              2  secrets                     ObjectReference      repeated
              3  imagePullSecrets            LocalObjectReference repeated
              4  automountServiceAccountToken bool                ptr

            message ObjectReference
              1  kind                        string
              2  namespace                   string
              3  name                        string
              4  uid                         string
              5  apiVersion                  string
              6  resourceVersion             string
              7  fieldPath                   string

            message LocalObjectReference
              1  name                        string

            # ---- ResourceQuota (kubectl create quota) ----

            message ResourceQuota
              1  metadata                    ObjectMeta
              2  spec                        ResourceQuotaSpec
              3  status                      ResourceQuotaStatus

            message ResourceQuotaSpec
              1  hard                        map<Quantity>
              2  scopes                      string               repeated
              3  scopeSelector               ScopeSelector        ptr

            message ScopeSelector
              1  matchExpressions            ScopedResourceSelectorRequirement repeated

            message ScopedResourceSelectorRequirement
              1  scopeName                   string               always
              2  operator                    string               always
              3  values                      string               repeated

            message ResourceQuotaStatus
              1  hard                        map<Quantity>
              2  used                        map<Quantity>

            # ---- Service ----

            message Service
              1  metadata                    ObjectMeta
              2  spec                        ServiceSpec
              3  status                      ServiceStatus

            message ServiceSpec
              1  ports                       ServicePort          repeated
              2  selector                    map<string>
              3  clusterIP                   string
              18 clusterIPs                  string               repeated
              4  type                        string
              5  externalIPs                 string               repeated
              7  sessionAffinity             string
              8  loadBalancerIP              string
              9  loadBalancerSourceRanges    string               repeated
              10 externalName                string
              11 externalTrafficPolicy       string
              12 healthCheckNodePort         int32
              13 publishNotReadyAddresses    bool
              14 sessionAffinityConfig       SessionAffinityConfig ptr
              19 ipFamilies                  string               repeated
              17 ipFamilyPolicy              string               ptr
              20 allocateLoadBalancerNodePorts bool               ptr
              21 loadBalancerClass           string               ptr
              22 internalTrafficPolicy       string               ptr
              23 trafficDistribution         string               ptr

            message ServicePort
              1  name                        string
              2  protocol                    string
              6  appProtocol                 string               ptr
              3  port                        int32                always
              # IntOrString is a struct: written even when unset ("targetPort": 0).
              4  targetPort                  IntOrString
              5  nodePort                    int32

            message SessionAffinityConfig
              1  clientIP                    ClientIPConfig       ptr

            message ClientIPConfig
              1  timeoutSeconds              int32                ptr

            message ServiceStatus
              1  loadBalancer                LoadBalancerStatus
              2  conditions                  Condition            repeated

            message LoadBalancerStatus
              1  ingress                     LoadBalancerIngress  repeated

            message LoadBalancerIngress
              1  ip                          string
              2  hostname                    string
              3  ipMode                      string               ptr
              4  ports                       PortStatus           repeated

            message PortStatus
              1  port                        int32                always
              2  protocol                    string               always
              3  error                       string               ptr

            # ---- Pod ----

            message Pod
              1  metadata                    ObjectMeta
              2  spec                        PodSpec
              3  status                      PodStatus

            message PodStatus
              17 observedGeneration          int64
              1  phase                       string
              2  conditions                  PodCondition         repeated
              3  message                     string
              4  reason                      string
              11 nominatedNodeName           string
              5  hostIP                      string
              16 hostIPs                     HostIP               repeated
              6  podIP                       string
              12 podIPs                      PodIP                repeated
              7  startTime                   Time                 ptr
              10 initContainerStatuses       ContainerStatus      repeated unsupported
              8  containerStatuses           ContainerStatus      repeated unsupported
              9  qosClass                    string
              13 ephemeralContainerStatuses  ContainerStatus      repeated unsupported
              14 resize                      string
              15 resourceClaimStatuses       PodResourceClaimStatus repeated unsupported
              18 extendedResourceClaimStatus PodExtendedResourceClaimStatus ptr unsupported
              19 allocatedResources          map<Quantity>
              20 resources                   ResourceRequirements ptr
              21 nodeAllocatableResourceClaimStatuses NodeAllocatableResourceClaimStatus repeated unsupported
              22 volumeHealth                PodVolumeHealth      repeated unsupported

            message PodCondition
              1  type                        string               always
              7  observedGeneration          int64
              2  status                      string               always
              3  lastProbeTime               Time
              4  lastTransitionTime          Time
              5  reason                      string
              6  message                     string

            message HostIP
              1  ip                          string               always

            message PodIP
              1  ip                          string               always

            message PodTemplateSpec
              1  metadata                    ObjectMeta
              2  spec                        PodSpec

            message PodSpec
              1  volumes                     Volume               repeated
              20 initContainers              Container            repeated
              2  containers                  Container            repeated always
              34 ephemeralContainers         EphemeralContainer   repeated unsupported
              3  restartPolicy               string
              4  terminationGracePeriodSeconds int64              ptr
              5  activeDeadlineSeconds       int64                ptr
              6  dnsPolicy                   string
              7  nodeSelector                map<string>
              8  serviceAccountName          string
              9  serviceAccount              string
              21 automountServiceAccountToken bool                ptr
              10 nodeName                    string
              11 hostNetwork                 bool
              12 hostPID                     bool
              13 hostIPC                     bool
              27 shareProcessNamespace       bool                 ptr
              14 securityContext             PodSecurityContext   ptr
              15 imagePullSecrets            LocalObjectReference repeated
              16 hostname                    string
              17 subdomain                   string
              18 affinity                    Affinity             ptr unsupported
              19 schedulerName               string
              22 tolerations                 Toleration           repeated
              23 hostAliases                 HostAlias            repeated
              24 priorityClassName           string
              25 priority                    int32                ptr
              26 dnsConfig                   PodDNSConfig         ptr
              28 readinessGates              PodReadinessGate     repeated
              29 runtimeClassName            string               ptr
              30 enableServiceLinks          bool                 ptr
              31 preemptionPolicy            string               ptr
              32 overhead                    map<Quantity>
              33 topologySpreadConstraints   TopologySpreadConstraint repeated
              35 setHostnameAsFQDN           bool                 ptr
              36 os                          PodOS                ptr
              37 hostUsers                   bool                 ptr
              38 schedulingGates             PodSchedulingGate    repeated
              39 resourceClaims              PodResourceClaim     repeated unsupported
              40 resources                   ResourceRequirements ptr
              41 hostnameOverride            string               ptr
              43 schedulingGroup             PodSchedulingGroup   ptr unsupported
              44 evictionResponders          EvictionResponder    repeated unsupported

            message PodSecurityContext
              1  seLinuxOptions              SELinuxOptions       ptr
              8  windowsOptions              WindowsSecurityContextOptions ptr
              2  runAsUser                   int64                ptr
              6  runAsGroup                  int64                ptr
              3  runAsNonRoot                bool                 ptr
              4  supplementalGroups          int64                repeated
              12 supplementalGroupsPolicy    string               ptr
              5  fsGroup                     int64                ptr
              7  sysctls                     Sysctl               repeated
              9  fsGroupChangePolicy         string               ptr
              10 seccompProfile              SeccompProfile       ptr
              11 appArmorProfile             AppArmorProfile      ptr
              13 seLinuxChangePolicy         string               ptr

            message Sysctl
              1  name                        string               always
              2  value                       string               always

            message Toleration
              1  key                         string
              2  operator                    string
              3  value                       string
              4  effect                      string
              5  tolerationSeconds           int64                ptr

            message HostAlias
              1  ip                          string               always
              2  hostnames                   string               repeated

            message PodDNSConfig
              1  nameservers                 string               repeated
              2  searches                    string               repeated
              3  options                     PodDNSConfigOption   repeated

            message PodDNSConfigOption
              1  name                        string
              2  value                       string               ptr

            message PodReadinessGate
              1  conditionType               string               always

            message PodOS
              1  name                        string               always

            message PodSchedulingGate
              1  name                        string               always

            message TopologySpreadConstraint
              1  maxSkew                     int32                always
              2  topologyKey                 string               always
              3  whenUnsatisfiable           string               always
              4  labelSelector               LabelSelector        ptr
              5  minDomains                  int32                ptr
              6  nodeAffinityPolicy          string               ptr
              7  nodeTaintsPolicy            string               ptr
              8  matchLabelKeys              string               repeated

            # ---- Container ----

            message Container
              1  name                        string               always
              2  image                       string
              3  command                     string               repeated
              4  args                        string               repeated
              5  workingDir                  string
              6  ports                       ContainerPort        repeated
              19 envFrom                     EnvFromSource        repeated
              7  env                         EnvVar               repeated
              # A struct, so always written: "resources": {} as in kubectl's own output.
              8  resources                   ResourceRequirements
              23 resizePolicy                ContainerResizePolicy repeated
              24 restartPolicy               string               ptr
              25 restartPolicyRules          ContainerRestartRule repeated unsupported
              9  volumeMounts                VolumeMount          repeated
              21 volumeDevices               VolumeDevice         repeated
              10 livenessProbe               Probe                ptr
              11 readinessProbe              Probe                ptr
              22 startupProbe                Probe                ptr
              12 lifecycle                   Lifecycle            ptr
              13 terminationMessagePath      string
              20 terminationMessagePolicy    string
              14 imagePullPolicy             string
              15 securityContext             SecurityContext      ptr
              16 stdin                       bool
              17 stdinOnce                   bool
              18 tty                         bool

            message ContainerPort
              1  name                        string
              2  hostPort                    int32
              3  containerPort               int32                always
              4  protocol                    string
              5  hostIP                      string

            message EnvFromSource
              1  prefix                      string
              2  configMapRef                ConfigMapEnvSource   ptr
              3  secretRef                   SecretEnvSource      ptr

            message ConfigMapEnvSource
              1  localObjectReference        LocalObjectReference inline
              2  optional                    bool                 ptr

            message SecretEnvSource
              1  localObjectReference        LocalObjectReference inline
              2  optional                    bool                 ptr

            message EnvVar
              1  name                        string               always
              2  value                       string
              3  valueFrom                   EnvVarSource         ptr

            message EnvVarSource
              1  fieldRef                    ObjectFieldSelector  ptr
              2  resourceFieldRef            ResourceFieldSelector ptr
              3  configMapKeyRef             ConfigMapKeySelector ptr
              4  secretKeyRef                SecretKeySelector    ptr
              5  fileKeyRef                  FileKeySelector      ptr unsupported

            message ObjectFieldSelector
              1  apiVersion                  string
              2  fieldPath                   string               always

            message ResourceFieldSelector
              1  containerName               string
              2  resource                    string               always
              # Quantity is a struct: written even when unset ("divisor": "0").
              3  divisor                     Quantity

            message ConfigMapKeySelector
              1  localObjectReference        LocalObjectReference inline
              2  key                         string               always
              3  optional                    bool                 ptr

            message SecretKeySelector
              1  localObjectReference        LocalObjectReference inline
              2  key                         string               always
              3  optional                    bool                 ptr

            message ResourceRequirements
              1  limits                      map<Quantity>
              2  requests                    map<Quantity>
              3  claims                      ResourceClaim        repeated

            message ResourceClaim
              1  name                        string               always
              2  request                     string

            message ContainerResizePolicy
              1  resourceName                string               always
              2  restartPolicy               string               always

            message VolumeMount
              1  name                        string               always
              2  readOnly                    bool
              7  recursiveReadOnly           string               ptr
              3  mountPath                   string               always
              4  subPath                     string
              5  mountPropagation            string               ptr
              6  subPathExpr                 string
              8  bindMountOptions            string               repeated

            message VolumeDevice
              1  name                        string               always
              2  devicePath                  string               always

            message Probe
              1  handler                     ProbeHandler         inline
              2  initialDelaySeconds         int32
              3  timeoutSeconds              int32
              4  periodSeconds               int32
              5  successThreshold            int32
              6  failureThreshold            int32
              7  terminationGracePeriodSeconds int64              ptr

            message ProbeHandler
              1  exec                        ExecAction           ptr
              2  httpGet                     HTTPGetAction        ptr
              3  tcpSocket                   TCPSocketAction      ptr
              4  grpc                        GRPCAction           ptr

            message ExecAction
              1  command                     string               repeated

            message HTTPGetAction
              1  path                        string
              2  port                        IntOrString
              3  host                        string
              4  scheme                      string
              5  httpHeaders                 HTTPHeader           repeated
              6  protocol                    string               ptr

            message HTTPHeader
              1  name                        string               always
              2  value                       string               always

            message TCPSocketAction
              1  port                        IntOrString
              2  host                        string

            message GRPCAction
              1  port                        int32                always
              # *string without omitempty: "service": null when unset.
              2  service                     string               ptr always
              3  mode                        string               ptr

            message Lifecycle
              1  postStart                   LifecycleHandler     ptr
              2  preStop                     LifecycleHandler     ptr
              3  stopSignal                  string               ptr

            message LifecycleHandler
              1  exec                        ExecAction           ptr
              2  httpGet                     HTTPGetAction        ptr
              3  tcpSocket                   TCPSocketAction      ptr
              4  sleep                       SleepAction          ptr

            message SleepAction
              1  seconds                     int64                always

            message SecurityContext
              1  capabilities                Capabilities         ptr
              2  privileged                  bool                 ptr
              3  seLinuxOptions              SELinuxOptions       ptr
              10 windowsOptions              WindowsSecurityContextOptions ptr
              4  runAsUser                   int64                ptr
              8  runAsGroup                  int64                ptr
              5  runAsNonRoot                bool                 ptr
              6  readOnlyRootFilesystem      bool                 ptr
              7  allowPrivilegeEscalation    bool                 ptr
              9  procMount                   string               ptr
              11 seccompProfile              SeccompProfile       ptr
              12 appArmorProfile             AppArmorProfile      ptr

            message Capabilities
              1  add                         string               repeated
              2  drop                        string               repeated

            message SELinuxOptions
              1  user                        string
              2  role                        string
              3  type                        string
              4  level                       string

            message WindowsSecurityContextOptions
              1  gmsaCredentialSpecName      string               ptr
              2  gmsaCredentialSpec          string               ptr
              3  runAsUserName               string               ptr
              4  hostProcess                 bool                 ptr

            message SeccompProfile
              1  type                        string               always
              2  localhostProfile            string               ptr

            message AppArmorProfile
              1  type                        string               always
              2  localhostProfile            string               ptr

            # ---- Volumes: the common sources; the other plugins are refused ----

            message Volume
              1  name                        string               always
              2  volumeSource                VolumeSource         inline

            message VolumeSource
              1  hostPath                    HostPathVolumeSource ptr
              2  emptyDir                    EmptyDirVolumeSource ptr
              3  gcePersistentDisk           GCEPersistentDiskVolumeSource ptr unsupported
              4  awsElasticBlockStore        AWSElasticBlockStoreVolumeSource ptr unsupported
              5  gitRepo                     GitRepoVolumeSource  ptr unsupported
              6  secret                      SecretVolumeSource   ptr
              7  nfs                         NFSVolumeSource      ptr unsupported
              8  iscsi                       ISCSIVolumeSource    ptr unsupported
              9  glusterfs                   GlusterfsVolumeSource ptr unsupported
              10 persistentVolumeClaim       PersistentVolumeClaimVolumeSource ptr
              11 rbd                         RBDVolumeSource      ptr unsupported
              12 flexVolume                  FlexVolumeSource     ptr unsupported
              13 cinder                      CinderVolumeSource   ptr unsupported
              14 cephfs                      CephFSVolumeSource   ptr unsupported
              15 flocker                     FlockerVolumeSource  ptr unsupported
              16 downwardAPI                 DownwardAPIVolumeSource ptr
              17 fc                          FCVolumeSource       ptr unsupported
              18 azureFile                   AzureFileVolumeSource ptr unsupported
              19 configMap                   ConfigMapVolumeSource ptr
              20 vsphereVolume               VsphereVirtualDiskVolumeSource ptr unsupported
              21 quobyte                     QuobyteVolumeSource  ptr unsupported
              22 azureDisk                   AzureDiskVolumeSource ptr unsupported
              23 photonPersistentDisk        PhotonPersistentDiskVolumeSource ptr unsupported
              26 projected                   ProjectedVolumeSource ptr
              24 portworxVolume              PortworxVolumeSource ptr unsupported
              25 scaleIO                     ScaleIOVolumeSource  ptr unsupported
              27 storageos                   StorageOSVolumeSource ptr unsupported
              28 csi                         CSIVolumeSource      ptr unsupported
              29 ephemeral                   EphemeralVolumeSource ptr unsupported
              30 image                       ImageVolumeSource    ptr unsupported

            message HostPathVolumeSource
              1  path                        string               always
              2  type                        string               ptr

            message EmptyDirVolumeSource
              1  medium                      string
              2  sizeLimit                   Quantity             ptr
              3  mode                        int32                ptr

            message SecretVolumeSource
              1  secretName                  string
              2  items                       KeyToPath            repeated
              3  defaultMode                 int32                ptr
              4  optional                    bool                 ptr
              5  defaultUser                 int64                ptr

            message KeyToPath
              1  key                         string               always
              2  path                        string               always
              3  mode                        int32                ptr
              4  user                        int64                ptr

            message PersistentVolumeClaimVolumeSource
              1  claimName                   string               always
              2  readOnly                    bool

            message ConfigMapVolumeSource
              1  localObjectReference        LocalObjectReference inline
              2  items                       KeyToPath            repeated
              3  defaultMode                 int32                ptr
              4  optional                    bool                 ptr
              5  defaultUser                 int64                ptr

            message DownwardAPIVolumeSource
              1  items                       DownwardAPIVolumeFile repeated
              2  defaultMode                 int32                ptr
              3  defaultUser                 int64                ptr

            message DownwardAPIVolumeFile
              1  path                        string               always
              2  fieldRef                    ObjectFieldSelector  ptr
              3  resourceFieldRef            ResourceFieldSelector ptr
              4  mode                        int32                ptr
              5  user                        int64                ptr

            message ProjectedVolumeSource
              1  sources                     VolumeProjection     repeated always
              2  defaultMode                 int32                ptr
              3  defaultUser                 int64                ptr

            message VolumeProjection
              1  secret                      SecretProjection     ptr
              2  downwardAPI                 DownwardAPIProjection ptr
              3  configMap                   ConfigMapProjection  ptr
              4  serviceAccountToken         ServiceAccountTokenProjection ptr
              5  clusterTrustBundle          ClusterTrustBundleProjection ptr unsupported
              6  podCertificate              PodCertificateProjection ptr unsupported

            message SecretProjection
              1  localObjectReference        LocalObjectReference inline
              2  items                       KeyToPath            repeated
              4  optional                    bool                 ptr

            message ConfigMapProjection
              1  localObjectReference        LocalObjectReference inline
              2  items                       KeyToPath            repeated
              4  optional                    bool                 ptr

            message DownwardAPIProjection
              1  items                       DownwardAPIVolumeFile repeated

            message ServiceAccountTokenProjection
              1  audience                    string
              2  expirationSeconds           int64                ptr
              3  path                        string               always
              4  user                        int64                ptr
            """;
}
