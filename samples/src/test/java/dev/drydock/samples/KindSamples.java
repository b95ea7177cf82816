package dev.drydock.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;

/**
 * One sample object per kind that drydock serves, shared by the fabric8 and official-client kind tests: adding a
 * kind to those tests is adding a row here. Each manifest is a valid object for kube-apiserver; {@code ${NAMESPACE}}
 * stands for the test's namespace where a field must name it (an event's involved object, a binding's subject).
 */
final class KindSamples {

    /** The label every sample carries, valued with its row's id, so a list or watch selects that sample alone. */
    static final String ROW_LABEL = "drydock.dev/kind-row";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KindSamples() {
    }

    /** What a test does with a kind. */
    enum Verbs {
        /** create, get, list, update, the patch types, watch, delete. */
        CRUD,
        /** create only, and the answer's status read (the review kinds). */
        CREATE_ONLY
    }

    /**
     * A row: a kind and a sample object of it.
     *
     * @param apiVersion     group/version, or "v1" for the core group
     * @param kind           the kind
     * @param plural         its resource name
     * @param namespaced     whether it lives in a namespace
     * @param verbs          what the tests do with it
     * @param expectedStatus for a create-only kind, a JSON object whose fields the answer's {@code status} must have
     *                       (with these values; an expected {@code false} may be absent, as Go's omitempty leaves
     *                       it); null otherwise
     * @param manifest       the sample, as JSON
     */
    record KindSample(String apiVersion, String kind, String plural, boolean namespaced, Verbs verbs,
                      String expectedStatus, String manifest) {

        /** The row's id, unique in the table: plural.group, as kube names a resource. */
        String id() {
            return group().isEmpty() ? plural : plural + "." + group();
        }

        String group() {
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }

        String version() {
            return apiVersion.substring(apiVersion.indexOf('/') + 1);
        }

        String name() {
            return parse(manifest).withObjectProperty("metadata").get("name").asText();
        }

        /** Whether kube takes strategic merge patches for it: every built-in kind (custom resources do not). */
        boolean strategicMergePatch() {
            return true;
        }

        /** The sample in {@code namespace} (when namespaced), with its row label if CRUD, as JSON text. */
        String json(String namespace) {
            ObjectNode object = parse(manifest.replace("${NAMESPACE}", namespace));
            object.put("apiVersion", apiVersion).put("kind", kind);
            ObjectNode metadata = object.withObjectProperty("metadata");
            if (namespaced) {
                metadata.put("namespace", namespace);
            }
            if (verbs == Verbs.CRUD) { // a review's metadata must be empty (kube's ValidateSubjectAccessReview)
                metadata.withObjectProperty("labels").put(ROW_LABEL, id());
            }
            return object.toString();
        }

        @Override
        public String toString() {
            return kind + " (" + apiVersion + ")";
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a sample is not JSON: " + json, e);
        }
    }

    private static KindSample namespaced(String apiVersion, String kind, String plural, String manifest) {
        return new KindSample(apiVersion, kind, plural, true, Verbs.CRUD, null, manifest);
    }

    private static KindSample cluster(String apiVersion, String kind, String plural, String manifest) {
        return new KindSample(apiVersion, kind, plural, false, Verbs.CRUD, null, manifest);
    }

    private static KindSample review(String apiVersion, String kind, String plural, boolean namespaced,
                                     String expectedStatus, String manifest) {
        return new KindSample(apiVersion, kind, plural, namespaced, Verbs.CREATE_ONLY, expectedStatus, manifest);
    }

    private static final String POD_TEMPLATE = """
            {"metadata": {"labels": {"app": "%s"}},
             "spec": {"containers": [{"name": "main", "image": "busybox"}]}}""";

    private static String template(String app) {
        return POD_TEMPLATE.formatted(app);
    }

    /** A certificate signing request for CN=drydock-kinds (an EC P-256 key), base64 of its PEM. */
    private static final String CSR = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIVE1Ib0NBUUF3R0RFV01CUUdBMVVF"
            + "QXd3TlpISjVaRzlqYXkxcmFXNWtjekJaTUJNR0J5cUdTTTQ5QWdFRwpDQ3FHU000OUF3RUhBMElBQkNLSWJQbEVScmVPeWRNcSt3cW9J"
            + "alJ4dm82R21TcktEL3ZhbzlQSDhRTVRCNHU2CjZkcWNFWUVRekVrVk8zTkx2M2Z0N2lxSDhuSVNVOHpPenFVMlJFK2dBREFLQmdncWhr"
            + "ak9QUVFEQWdOSkFEQkcKQWlFQXVxWjNPMWlyN29KQTJINzlST0pIMkdIczBXZnpJM2p5SmE4K1hYTGZobWdDSVFDRHorZzBabWsvaXhG"
            + "UApXWk1XY2RraXU0ZGxvRDlFbHNMWWQ3b3c2Szl0NHc9PQotLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K";

    /** Every row. */
    static final List<KindSample> ALL = List.of(
            // core/v1
            cluster("v1", "Namespace", "namespaces", """
                    {"metadata": {"name": "kinds-namespace"}}"""),
            cluster("v1", "Node", "nodes", """
                    {"metadata": {"name": "kinds-node"}, "spec": {"podCIDR": "10.250.0.0/24"}}"""),
            namespaced("v1", "Pod", "pods", """
                    {"metadata": {"name": "kinds-pod"},
                     "spec": {"containers": [{"name": "main", "image": "busybox"}]}}"""),
            namespaced("v1", "Service", "services", """
                    {"metadata": {"name": "kinds-service"},
                     "spec": {"selector": {"app": "kinds"}, "ports": [{"port": 80, "targetPort": 8080}]}}"""),
            namespaced("v1", "Endpoints", "endpoints", """
                    {"metadata": {"name": "kinds-endpoints"},
                     "subsets": [{"addresses": [{"ip": "10.244.0.10"}], "ports": [{"port": 8080}]}]}"""),
            namespaced("v1", "ConfigMap", "configmaps", """
                    {"metadata": {"name": "kinds-configmap"}, "data": {"greeting": "hello"}}"""),
            namespaced("v1", "Secret", "secrets", """
                    {"metadata": {"name": "kinds-secret"}, "type": "Opaque", "stringData": {"password": "s3cret"}}"""),
            namespaced("v1", "ServiceAccount", "serviceaccounts", """
                    {"metadata": {"name": "kinds-serviceaccount"}}"""),
            cluster("v1", "PersistentVolume", "persistentvolumes", """
                    {"metadata": {"name": "kinds-persistentvolume"},
                     "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                              "hostPath": {"path": "/tmp/kinds"}}}"""),
            namespaced("v1", "PersistentVolumeClaim", "persistentvolumeclaims", """
                    {"metadata": {"name": "kinds-persistentvolumeclaim"},
                     "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}"""),
            namespaced("v1", "ResourceQuota", "resourcequotas", """
                    {"metadata": {"name": "kinds-resourcequota"}, "spec": {"hard": {"pods": "10"}}}"""),
            namespaced("v1", "LimitRange", "limitranges", """
                    {"metadata": {"name": "kinds-limitrange"},
                     "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}}]}}"""),
            namespaced("v1", "Event", "events", """
                    {"metadata": {"name": "kinds-event"},
                     "involvedObject": {"kind": "Pod", "name": "kinds-pod", "namespace": "${NAMESPACE}"},
                     "reason": "Tested", "message": "a sample event", "type": "Normal"}"""),
            namespaced("v1", "ReplicationController", "replicationcontrollers", """
                    {"metadata": {"name": "kinds-replicationcontroller"},
                     "spec": {"replicas": 1, "selector": {"app": "kinds-rc"}, "template": %s}}"""
                    .formatted(template("kinds-rc"))),
            // apps/v1
            namespaced("apps/v1", "Deployment", "deployments", """
                    {"metadata": {"name": "kinds-deployment"},
                     "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "kinds-deploy"}}, "template": %s}}"""
                    .formatted(template("kinds-deploy"))),
            namespaced("apps/v1", "ReplicaSet", "replicasets", """
                    {"metadata": {"name": "kinds-replicaset"},
                     "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "kinds-rs"}}, "template": %s}}"""
                    .formatted(template("kinds-rs"))),
            namespaced("apps/v1", "StatefulSet", "statefulsets", """
                    {"metadata": {"name": "kinds-statefulset"},
                     "spec": {"replicas": 1, "serviceName": "kinds-sts",
                              "selector": {"matchLabels": {"app": "kinds-sts"}}, "template": %s}}"""
                    .formatted(template("kinds-sts"))),
            namespaced("apps/v1", "DaemonSet", "daemonsets", """
                    {"metadata": {"name": "kinds-daemonset"},
                     "spec": {"selector": {"matchLabels": {"app": "kinds-ds"}}, "template": %s}}"""
                    .formatted(template("kinds-ds"))),
            namespaced("apps/v1", "ControllerRevision", "controllerrevisions", """
                    {"metadata": {"name": "kinds-controllerrevision"}, "revision": 1,
                     "data": {"spec": {"template": {"metadata": {"labels": {"app": "kinds"}}}}}}"""),
            // batch/v1
            namespaced("batch/v1", "Job", "jobs", """
                    {"metadata": {"name": "kinds-job"},
                     "spec": {"template": {"spec": {"restartPolicy": "Never",
                              "containers": [{"name": "main", "image": "busybox"}]}}}}"""),
            namespaced("batch/v1", "CronJob", "cronjobs", """
                    {"metadata": {"name": "kinds-cronjob"},
                     "spec": {"schedule": "*/5 * * * *", "suspend": true,
                              "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                                  "containers": [{"name": "main", "image": "busybox"}]}}}}}}"""),
            // autoscaling/v2
            namespaced("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", """
                    {"metadata": {"name": "kinds-hpa"},
                     "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                              "minReplicas": 1, "maxReplicas": 3,
                              "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                  "target": {"type": "Utilization", "averageUtilization": 80}}}]}}"""),
            // coordination.k8s.io/v1
            namespaced("coordination.k8s.io/v1", "Lease", "leases", """
                    {"metadata": {"name": "kinds-lease"},
                     "spec": {"holderIdentity": "kinds", "leaseDurationSeconds": 15}}"""),
            // discovery.k8s.io/v1
            namespaced("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", """
                    {"metadata": {"name": "kinds-endpointslice"}, "addressType": "IPv4",
                     "endpoints": [{"addresses": ["10.244.0.10"]}],
                     "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}"""),
            // events.k8s.io/v1
            namespaced("events.k8s.io/v1", "Event", "events", """
                    {"metadata": {"name": "kinds-event-v1"}, "eventTime": "2026-11-30T21:00:00.000000Z",
                     "reportingController": "drydock.dev/kinds", "reportingInstance": "kinds-1",
                     "action": "Testing", "reason": "Tested", "type": "Normal", "note": "a sample event",
                     "regarding": {"kind": "Pod", "name": "kinds-pod", "namespace": "${NAMESPACE}"}}"""),
            // policy/v1
            namespaced("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", """
                    {"metadata": {"name": "kinds-pdb"},
                     "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "kinds"}}}}"""),
            // networking.k8s.io/v1
            namespaced("networking.k8s.io/v1", "Ingress", "ingresses", """
                    {"metadata": {"name": "kinds-ingress"},
                     "spec": {"rules": [{"host": "kinds.example.com", "http": {"paths": [{"path": "/",
                         "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}"""),
            namespaced("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", """
                    {"metadata": {"name": "kinds-networkpolicy"},
                     "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"""),
            // rbac.authorization.k8s.io/v1
            namespaced("rbac.authorization.k8s.io/v1", "Role", "roles", """
                    {"metadata": {"name": "kinds-role"},
                     "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}"""),
            cluster("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", """
                    {"metadata": {"name": "kinds-clusterrole"},
                     "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}"""),
            namespaced("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", """
                    {"metadata": {"name": "kinds-rolebinding"},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "kinds-role"},
                     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "${NAMESPACE}"}]}"""),
            cluster("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", """
                    {"metadata": {"name": "kinds-clusterrolebinding"},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                 "name": "kinds-clusterrole"},
                     "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "jane"}]}"""),
            // scheduling.k8s.io/v1
            cluster("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", """
                    {"metadata": {"name": "kinds-priorityclass"}, "value": 1000,
                     "description": "a sample priority class"}"""),
            // storage.k8s.io/v1
            cluster("storage.k8s.io/v1", "StorageClass", "storageclasses", """
                    {"metadata": {"name": "kinds-storageclass"}, "provisioner": "example.com/kinds",
                     "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"}"""),
            // certificates.k8s.io/v1
            cluster("certificates.k8s.io/v1", "CertificateSigningRequest", "certificatesigningrequests", """
                    {"metadata": {"name": "kinds-csr"},
                     "spec": {"request": "%s", "signerName": "example.com/kinds", "usages": ["client auth"]}}"""
                    .formatted(CSR)),
            // apiextensions.k8s.io/v1
            cluster("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", """
                    {"metadata": {"name": "samples.kinds.drydock.dev"},
                     "spec": {"group": "kinds.drydock.dev", "scope": "Namespaced",
                              "names": {"plural": "samples", "singular": "sample", "kind": "Sample",
                                        "listKind": "SampleList"},
                              "versions": [{"name": "v1", "served": true, "storage": true,
                                  "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                      "spec": {"type": "object",
                                               "properties": {"size": {"type": "integer"}}}}}}}]}}"""),
            // The reviews: created, answered, never stored. With a system:masters caller (kube's admin), RBAC
            // allows everything; a token kube never issued is not authenticated.
            review("authorization.k8s.io/v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false,
                    """
                    {"allowed": true}""", """
                    {"metadata": {},
                     "spec": {"resourceAttributes": {"namespace": "${NAMESPACE}", "verb": "get",
                                                     "resource": "pods"}}}"""),
            review("authorization.k8s.io/v1", "SubjectAccessReview", "subjectaccessreviews", false,
                    """
                    {"allowed": true}""", """
                    {"metadata": {},
                     "spec": {"user": "admin", "groups": ["system:masters"],
                              "resourceAttributes": {"namespace": "${NAMESPACE}", "verb": "delete",
                                                     "resource": "pods"}}}"""),
            review("authentication.k8s.io/v1", "TokenReview", "tokenreviews", false,
                    """
                    {"authenticated": false}""", """
                    {"metadata": {}, "spec": {"token": "not-a-token-kube-issued"}}"""));

    /**
     * What a review's answered {@code status} (as JSON text, null if absent) lacks of its row's expectation: empty
     * when it has every expected field with the expected value.
     */
    static List<String> statusMismatches(KindSample sample, String status) {
        if (status == null) {
            return List.of("no status in the answer");
        }
        ObjectNode actual = parse(status);
        List<String> mismatches = new java.util.ArrayList<>();
        parse(sample.expectedStatus()).properties().forEach(e -> {
            var value = actual.get(e.getKey());
            boolean omittedFalse = value == null && e.getValue().isBoolean() && !e.getValue().asBoolean();
            if (!omittedFalse && !e.getValue().equals(value)) {
                mismatches.add("status." + e.getKey() + " is " + value + ", expected " + e.getValue());
            }
        });
        return mismatches;
    }

    /** The rows a test creates, reads, updates, patches, watches and deletes. */
    static Stream<KindSample> crud() {
        return ALL.stream().filter(s -> s.verbs() == Verbs.CRUD);
    }

    /** The review kinds, created and answered. */
    static Stream<KindSample> reviews() {
        return ALL.stream().filter(s -> s.verbs() == Verbs.CREATE_ONLY);
    }
}
