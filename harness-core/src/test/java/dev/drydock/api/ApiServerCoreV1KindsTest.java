package dev.drydock.api;

import static dev.drydock.api.CoreV1Objects.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The core group's other kinds: Endpoints, ServiceAccounts and their tokens, PersistentVolumes and claims,
 * ResourceQuotas, LimitRanges and ReplicationControllers, each with its defaults, its rules worded as kube words
 * them, its subresources and field selectors; and their discovery.
 */
class ApiServerCoreV1KindsTest extends ApiServerTestSupport {

    private static final Resource ENDPOINTS = CoreV1Kinds.ENDPOINTS;
    private static final Resource SERVICE_ACCOUNTS = CoreV1Kinds.SERVICE_ACCOUNTS;
    private static final Resource PVS = CoreV1Kinds.PERSISTENT_VOLUMES;
    private static final Resource PVCS = CoreV1Kinds.PERSISTENT_VOLUME_CLAIMS;
    private static final Resource QUOTAS = CoreV1Kinds.RESOURCE_QUOTAS;
    private static final Resource LIMIT_RANGES = CoreV1Kinds.LIMIT_RANGES;
    private static final Resource RCS = CoreV1Kinds.REPLICATION_CONTROLLERS;

    // ---- Endpoints

    @Test
    void endpointsAreServedWithTheirProtocolDefaulted() {
        ObjectNode ep = client.create(ENDPOINTS, NS, json("{'metadata': {'name': 'web'}, 'subsets': [{"
                + "'addresses': [{'ip': '10.244.1.5'}], 'ports': [{'port': 8080}]}]}"));

        assertThat(ep.path("subsets").get(0).path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
        assertThat(client.mergePatch(ENDPOINTS, NS, "web", null, json("{'metadata': {'labels': {'a': 'b'}}}"))
                .path("metadata").path("labels").path("a").asText()).isEqualTo("b");
        assertThat(names(list(ENDPOINTS, NS, Map.of()))).containsExactly("web");
        client.delete(ENDPOINTS, NS, "web");
        assertThat(client.find(ENDPOINTS, NS, "web")).isNull();
    }

    @Test
    void endpointAddressesMayNotBeLoopbackAndSubsetsNeedAddresses() {
        ApiException loopback = failure(() -> client.create(ENDPOINTS, NS, json("{'metadata': {'name': 'e'}, "
                + "'subsets': [{'addresses': [{'ip': '127.0.0.1'}]}]}")));
        ApiException empty = failure(() -> client.create(ENDPOINTS, NS, json("{'metadata': {'name': 'e'}, "
                + "'subsets': [{'ports': [{'port': 80}]}]}")));

        assertThat(loopback.getMessage()).isEqualTo("Endpoints \"e\" is invalid: subsets[0].addresses[0].ip: Invalid "
                + "value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)");
        assertThat(empty.getMessage()).isEqualTo("Endpoints \"e\" is invalid: subsets[0]: Required value: must "
                + "specify `addresses` or `notReadyAddresses`");
    }

    // ---- ServiceAccounts and their tokens

    @Test
    void serviceAccountsAreServed() {
        ObjectNode sa = client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}"));
        assertThat(client.get(SERVICE_ACCOUNTS, NS, "builder")).isEqualTo(sa);
        ObjectNode patched = client.mergePatch(SERVICE_ACCOUNTS, NS, "builder", null,
                json("{'automountServiceAccountToken': false}"));
        assertThat(patched.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(failure(() -> client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'Bad_Name'}}")))
                .code()).isEqualTo(422);
    }

    @Test
    void aTokenRequestIsAnsweredWithATokenTheApiServerRecognises() {
        ObjectNode sa = client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}"));

        ApiResponse r = requestToken("builder", json("{'spec': {}}"));

        assertThat(r.code()).isEqualTo(201);
        JsonNode body = r.body();
        assertThat(body.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(body.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
        assertThat(body.path("metadata").path("name").asText()).isEqualTo("builder");
        assertThat(body.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(body.path("spec").path("audiences").get(0).asText())
                .isEqualTo("https://kubernetes.default.svc.cluster.local");
        Instant expires = Instant.parse(body.path("status").path("expirationTimestamp").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));

        String token = body.path("status").path("token").asText();
        Optional<ServiceAccountTokens.Claims> claims = api.serviceAccountTokens().authenticate(token, api);
        assertThat(claims).isPresent();
        assertThat(claims.get().username()).isEqualTo("system:serviceaccount:default:builder");
        assertThat(claims.get().serviceAccountUid()).isEqualTo(Json.uid(sa));
        assertThat(claims.get().groups()).contains("system:serviceaccounts:default");
    }

    @Test
    void aTokenStopsBeingRecognisedWhenItsServiceAccountIsGoneOrReplaced() {
        client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}"));
        String token = requestToken("builder", json("{'spec': {}}")).body().path("status").path("token").asText();

        client.delete(SERVICE_ACCOUNTS, NS, "builder");
        assertThat(api.serviceAccountTokens().authenticate(token, api)).isEmpty();
        client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}")); // a new uid
        assertThat(api.serviceAccountTokens().authenticate(token, api)).isEmpty();
    }

    @Test
    void tokensAreRecognisedByAnApiServerWithTheSameSeedOnly() {
        client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}"));
        String token = requestToken("builder", json("{'spec': {}}")).body().path("status").path("token").asText();

        ApiServer sameSeed = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 42L, watchLanes);
        ApiServer otherSeed = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 43L, watchLanes);

        assertThat(sameSeed.serviceAccountTokens().authenticate(token, sameSeed)).isPresent();
        assertThat(otherSeed.serviceAccountTokens().authenticate(token, otherSeed)).isEmpty();
        assertThat(api.serviceAccountTokens().verify(token + "x", Instant.now())).isEmpty();
        assertThat(api.serviceAccountTokens().verify(token, Instant.now().plus(Duration.ofHours(2)))).isEmpty();
    }

    @Test
    void tokenRequestsAreValidatedAsKubeValidatesThem() {
        client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'builder'}}"));

        ApiResponse shortLived = requestToken("builder", json("{'spec': {'expirationSeconds': 60}}"));
        ApiResponse missing = requestToken("ghost", json("{'spec': {}}"));
        ApiResponse otherName = requestToken("builder", json("{'metadata': {'name': 'x'}, 'spec': {}}"));

        assertThat(shortLived.code()).isEqualTo(422);
        assertThat(shortLived.body().path("message").asText()).isEqualTo("TokenRequest.authentication.k8s.io "
                + "\"builder\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less "
                + "than 10 minutes");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.body().path("message").asText()).isEqualTo("serviceaccounts \"ghost\" not found");
        assertThat(otherName.body().path("message").asText()).endsWith("metadata.name: Invalid value: \"x\": must "
                + "match the service account name if specified");
    }

    @Test
    void aTokenBoundToAPodLivesAsLongAsThePod() {
        client.create(SERVICE_ACCOUNTS, NS, json("{'metadata': {'name': 'default'}}"));
        ObjectNode pod = createPod(TestObjects.pod("web"));

        ApiResponse r = requestToken("default", json("{'spec': {'boundObjectRef': {'kind': 'Pod', "
                + "'apiVersion': 'v1', 'name': 'web'}}}"));
        String token = r.body().path("status").path("token").asText();

        assertThat(r.code()).isEqualTo(201);
        assertThat(api.serviceAccountTokens().authenticate(token, api).orElseThrow().boundObject())
                .isEqualTo(new ServiceAccountTokens.BoundObject("Pod", "web", Json.uid(pod)));
        client.delete(PODS, NS, "web");
        assertThat(api.serviceAccountTokens().authenticate(token, api)).isEmpty();
        ApiResponse configMap = requestToken("default", json("{'spec': {'boundObjectRef': {'kind': 'ConfigMap', "
                + "'apiVersion': 'v1', 'name': 'web'}}}"));
        assertThat(configMap.code()).isEqualTo(400);
        assertThat(configMap.body().path("message").asText()).isEqualTo("cannot bind token to object of type "
                + "/v1, Kind=ConfigMap");
    }

    // ---- PersistentVolumes and claims

    @Test
    void persistentVolumesAreClusterScopedAndDefaultedAsKubeDoes() {
        ObjectNode pv = client.create(PVS, null, json("{'metadata': {'name': 'pv1'}, 'spec': {'capacity': "
                + "{'storage': '1Gi'}, 'accessModes': ['ReadWriteOnce'], 'hostPath': {'path': '/data'}}}"));

        assertThat(Json.namespace(pv)).isNull();
        assertThat(pv.path("spec").path("persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
        assertThat(pv.path("spec").path("volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(pv.path("status").path("lastPhaseTransitionTime").asText())
                .isEqualTo(pv.path("metadata").path("creationTimestamp").asText());

        ObjectNode available = client.mergePatch(PVS, null, "pv1", "status", json("{'status': {'phase': "
                + "'Available'}}"));
        assertThat(available.path("status").path("phase").asText()).isEqualTo("Available");
        ApiException source = failure(() -> client.mergePatch(PVS, null, "pv1", null,
                json("{'spec': {'hostPath': {'path': '/other'}}}")));
        assertThat(source.getMessage()).isEqualTo("PersistentVolume \"pv1\" is invalid: spec.persistentvolumesource: "
                + "Forbidden: spec.persistentvolumesource is immutable after creation");
        client.delete(PVS, null, "pv1");
        assertThat(client.find(PVS, null, "pv1")).isNull();
    }

    @Test
    void aPersistentVolumeNeedsAccessModesCapacityAndOneSource() {
        ApiException e = failure(() -> client.create(PVS, null, json("{'metadata': {'name': 'pv'}, 'spec': {}}")));

        assertThat(e.getMessage()).isEqualTo("PersistentVolume \"pv\" is invalid: [spec.accessModes: Required value, "
                + "spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported "
                + "values: \"storage\", spec: Required value: must specify a volume type]");
        assertThat(failure(() -> client.create(PVS, null, json("{'metadata': {'name': 'pv'}, 'spec': {'capacity': "
                + "{'storage': '1Gi'}, 'accessModes': ['ReadWriteOnce'], 'hostPath': {'path': '/a'}, "
                + "'nfs': {'server': 'n', 'path': '/b'}}}"))).getMessage())
                .endsWith("spec.nfs: Forbidden: may not specify more than 1 volume type");
    }

    @Test
    void claimsArePendingAndTheirSpecImmutable() {
        ObjectNode pvc = client.create(PVCS, NS, json("{'metadata': {'name': 'data'}, 'spec': {'accessModes': "
                + "['ReadWriteOnce'], 'resources': {'requests': {'storage': '1Gi'}}}}"));

        assertThat(pvc.path("status")).isEqualTo(json("{'phase': 'Pending'}"));
        assertThat(pvc.path("spec").path("volumeMode").asText()).isEqualTo("Filesystem");
        ApiException e = failure(() -> client.mergePatch(PVCS, NS, "data", null,
                json("{'spec': {'accessModes': ['ReadWriteMany']}}")));
        assertThat(e.getMessage()).isEqualTo("PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is "
                + "immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
        ObjectNode bound = client.mergePatch(PVCS, NS, "data", null, json("{'spec': {'volumeName': 'pv1'}}"));
        assertThat(bound.path("spec").path("volumeName").asText()).isEqualTo("pv1");
        assertThat(failure(() -> client.create(PVCS, NS, json("{'metadata': {'name': 'x'}, 'spec': {'accessModes': "
                + "['ReadWriteOnce']}}"))).getMessage()).isEqualTo("PersistentVolumeClaim \"x\" is invalid: "
                + "spec.resources[storage]: Required value");
    }

    // ---- ResourceQuotas and LimitRanges

    @Test
    void resourceQuotasAreStoredWithAnEmptyStatusAndValidated() {
        ObjectNode quota = client.create(QUOTAS, NS, json("{'metadata': {'name': 'q'}, 'spec': {'hard': "
                + "{'pods': '10', 'requests.cpu': '2'}}, 'status': {'used': {'pods': '99'}}}"));

        assertThat(quota.path("status")).isEqualTo(json("{}"));
        ObjectNode counted = client.mergePatch(QUOTAS, NS, "q", "status", json("{'status': {'hard': {'pods': '10'}, "
                + "'used': {'pods': '1'}}}"));
        assertThat(counted.path("status").path("used").path("pods").asText()).isEqualTo("1");
        assertThat(failure(() -> client.create(QUOTAS, NS, json("{'metadata': {'name': 'bad'}, 'spec': {'hard': "
                + "{'widgets': '1'}}}"))).getMessage()).isEqualTo("ResourceQuota \"bad\" is invalid: "
                + "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource for quota");
        assertThat(failure(() -> client.create(QUOTAS, NS, json("{'metadata': {'name': 'bad'}, 'spec': {'hard': "
                + "{'pods': '1.5'}}}"))).getMessage()).isEqualTo("ResourceQuota \"bad\" is invalid: "
                + "spec.hard[pods]: Invalid value: \"1.5\": must be an integer");
    }

    @Test
    void quotaScopesMustSuitTheResourcesAndCannotChange() {
        assertThat(failure(() -> client.create(QUOTAS, NS, json("{'metadata': {'name': 'bad'}, 'spec': {'hard': "
                + "{'secrets': '1'}, 'scopes': ['BestEffort']}}"))).getMessage()).isEqualTo("ResourceQuota \"bad\" "
                + "is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: unsupported "
                + "scope applied to resource");
        client.create(QUOTAS, NS, json("{'metadata': {'name': 'q'}, 'spec': {'hard': {'pods': '1'}, "
                + "'scopes': ['BestEffort']}}"));

        assertThat(failure(() -> client.mergePatch(QUOTAS, NS, "q", null, json("{'spec': {'scopes': "
                + "['NotBestEffort']}}"))).getMessage()).isEqualTo("ResourceQuota \"q\" is invalid: spec.scopes: "
                + "Invalid value: []core.ResourceQuotaScope{\"NotBestEffort\"}: field is immutable");
    }

    @Test
    void limitRangesDefaultContainerLimitsAndCheckTheirOrder() {
        ObjectNode lr = client.create(LIMIT_RANGES, NS, json("{'metadata': {'name': 'lr'}, 'spec': {'limits': [{"
                + "'type': 'Container', 'max': {'cpu': '2'}, 'min': {'memory': '64Mi'}}]}}"));

        JsonNode item = lr.path("spec").path("limits").get(0);
        assertThat(item.path("default").path("cpu").asText()).isEqualTo("2");
        assertThat(item.path("defaultRequest").path("cpu").asText()).isEqualTo("2");
        assertThat(item.path("defaultRequest").path("memory").asText()).isEqualTo("64Mi");
        assertThat(failure(() -> client.create(LIMIT_RANGES, NS, json("{'metadata': {'name': 'bad'}, 'spec': "
                + "{'limits': [{'type': 'Pod', 'min': {'cpu': '2'}, 'max': {'cpu': '1'}}]}}"))).getMessage())
                .isEqualTo("LimitRange \"bad\" is invalid: spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 "
                        + "is greater than max value 1");
        assertThat(failure(() -> client.create(LIMIT_RANGES, NS, json("{'metadata': {'name': 'bad'}, 'spec': "
                + "{'limits': [{'type': 'Widget'}]}}"))).getMessage()).isEqualTo("LimitRange \"bad\" is invalid: "
                + "spec.limits[0].type: Invalid value: \"Widget\": must be a standard limit type or fully qualified");
    }

    // ---- ReplicationControllers

    @Test
    void replicationControllersAreDefaultedFromTheirTemplate() {
        ObjectNode rc = client.create(RCS, NS, replicationController("web"));

        assertThat(rc.path("spec").path("selector")).isEqualTo(json("{'app': 'web'}"));
        assertThat(rc.path("metadata").path("labels")).isEqualTo(json("{'app': 'web'}"));
        assertThat(rc.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(rc.path("metadata").path("generation").asInt()).isEqualTo(1);
        assertThat(rc.path("status")).isEqualTo(json("{'replicas': 0}"));
        assertThat(rc.path("spec").path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(names(list(RCS, NS, Map.of("fieldSelector", "status.replicas=0")))).containsExactly("web");
        ObjectNode patched = client.mergePatch(RCS, NS, "web", null, json("{'spec': {'replicas': 3}}"));
        assertThat(patched.path("metadata").path("generation").asInt()).isEqualTo(2);
    }

    @Test
    void replicationControllerPodsMustRestartAlways() {
        ObjectNode rc = replicationController("web");
        ((ObjectNode) rc.path("spec").path("template").path("spec")).put("restartPolicy", "OnFailure");

        assertThat(failure(() -> client.create(RCS, NS, rc)).getMessage()).isEqualTo("ReplicationController \"web\" "
                + "is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: "
                + "\"Always\"");
    }

    @Test
    void replicationControllersAreScaledThroughTheirScaleSubresource() {
        client.create(RCS, NS, replicationController("web"));

        ApiResponse scale = call(ApiRequest.Verb.GET, RCS, NS, "web", "scale", Map.of(), null, null);
        assertThat(scale.body().path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.body().path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(scale.body().path("status").path("selector").asText()).isEqualTo("app=web");

        ApiResponse scaled = call(ApiRequest.Verb.PATCH, RCS, NS, "web", "scale", Map.of(),
                json("{'spec': {'replicas': 4}}"), "application/merge-patch+json");
        assertThat(scaled.code()).as("%s", scaled.body()).isEqualTo(200);
        assertThat(client.get(RCS, NS, "web").path("spec").path("replicas").asInt()).isEqualTo(4);
    }

    // ---- discovery

    @Test
    void discoveryListsTheCoreKindsWithKubesShortNamesCategoriesAndSubresources() {
        ObjectNode core = new Discovery(api.registry()).resources("", "v1");

        assertThat(field(core, "services", "shortNames")).containsExactly("svc");
        assertThat(field(core, "services", "categories")).containsExactly("all");
        assertThat(field(core, "endpoints", "shortNames")).containsExactly("ep");
        assertThat(field(core, "configmaps", "shortNames")).containsExactly("cm");
        assertThat(resource(core, "secrets").has("shortNames")).isFalse();
        assertThat(field(core, "serviceaccounts", "shortNames")).containsExactly("sa");
        assertThat(field(core, "persistentvolumes", "shortNames")).containsExactly("pv");
        assertThat(resource(core, "persistentvolumes").path("namespaced").asBoolean()).isFalse();
        assertThat(field(core, "persistentvolumeclaims", "shortNames")).containsExactly("pvc");
        assertThat(field(core, "resourcequotas", "shortNames")).containsExactly("quota");
        assertThat(field(core, "limitranges", "shortNames")).containsExactly("limits");
        assertThat(field(core, "replicationcontrollers", "shortNames")).containsExactly("rc");
        assertThat(field(core, "replicationcontrollers", "categories")).containsExactly("all");
        assertThat(resource(core, "endpoints").path("singularName").asText()).isEqualTo("endpoints");

        JsonNode token = resource(core, "serviceaccounts/token");
        assertThat(token.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(token.path("group").asText()).isEqualTo("authentication.k8s.io");
        assertThat(token.path("verbs").toString()).isEqualTo("[\"create\"]");
        assertThat(resource(core, "replicationcontrollers/scale").path("kind").asText()).isEqualTo("Scale");
        for (String status : List.of("services/status", "persistentvolumes/status", "persistentvolumeclaims/status",
                "resourcequotas/status", "replicationcontrollers/status")) {
            assertThat(resource(core, status).path("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
        }
    }

    // ---- helpers

    private ApiResponse requestToken(String account, ObjectNode body) {
        return call(ApiRequest.Verb.CREATE, SERVICE_ACCOUNTS, NS, account, "token", Map.of(), body, null);
    }

    private static ObjectNode replicationController(String name) {
        return json("{'metadata': {'name': '" + name + "'}, 'spec': {'template': {'metadata': {'labels': "
                + "{'app': '" + name + "'}}, 'spec': {'containers': [{'name': 'app', 'image': 'nginx:1.27'}]}}}}");
    }

    private static List<String> field(ObjectNode list, String resource, String field) {
        List<String> out = new ArrayList<>();
        resource(list, resource).path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static JsonNode resource(ObjectNode list, String name) {
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }
}
