package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.BuiltInObjects;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** scheduling.k8s.io/v1 PriorityClass and storage.k8s.io/v1 StorageClass as kube-apiserver serves them. */
class SchedulingStorageKindsTest extends KindTestSupport {

    static final Resource PRIORITY_CLASSES = new Resource("scheduling.k8s.io", "v1", "priorityclasses",
            "PriorityClass", false);
    static final Resource STORAGE_CLASSES = new Resource("storage.k8s.io", "v1", "storageclasses", "StorageClass",
            false);

    static ObjectNode priorityClass(String name, long value, boolean globalDefault) {
        return json("{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'" + name
                + "'},'value':" + value + ",'globalDefault':" + globalDefault + "}");
    }

    static ObjectNode storageClass(String name) {
        return json("{'apiVersion':'storage.k8s.io/v1','kind':'StorageClass','metadata':{'name':'" + name + "'},"
                + "'provisioner':'example.com/csi','parameters':{'type':'ssd'}}");
    }

    @Test
    void aPriorityClassDefaultsItsPreemptionPolicyAndKeepsItsValue() {
        ObjectNode created = client.create(PRIORITY_CLASSES, null, priorityClass("high", 1000, false));

        assertThat(created.path("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
        assertThat(client.get(PRIORITY_CLASSES, null, "high")).isEqualTo(created);
        ObjectNode update = created.deepCopy();
        update.put("value", 2000);
        update.put("preemptionPolicy", "Never");
        assertThat(causes(failure(() -> client.update(PRIORITY_CLASSES, update)))).containsExactly(
                "value: Forbidden: may not be changed in an update.",
                "preemptionPolicy: Invalid value: \"Never\": field is immutable");
        ObjectNode patched = client.mergePatch(PRIORITY_CLASSES, null, "high", null,
                json("{'description':'for important pods'}"));
        assertThat(patched.path("description").asText()).isEqualTo("for important pods");
        client.delete(PRIORITY_CLASSES, null, "high");
        assertThat(client.find(PRIORITY_CLASSES, null, "high")).isNull();
    }

    @Test
    void onlyOnePriorityClassMayBeTheGlobalDefault() {
        client.create(PRIORITY_CLASSES, null, priorityClass("default-priority", 100, true));

        ApiException e = failure(() -> client.create(PRIORITY_CLASSES, null, priorityClass("another", 200, true)));

        assertThat(e.code()).isEqualTo(403);
        assertThat(e.reason()).isEqualTo("Forbidden");
        assertThat(e.getMessage()).isEqualTo("priorityclasses.scheduling.k8s.io \"another\" is forbidden: "
                + "PriorityClass default-priority is already marked as default. Only one default can exist");
        client.create(PRIORITY_CLASSES, null, priorityClass("another", 200, false));
        assertThat(failure(() -> client.mergePatch(PRIORITY_CLASSES, null, "another", null,
                json("{'globalDefault':true}"))).code()).isEqualTo(403);
        assertThat(client.mergePatch(PRIORITY_CLASSES, null, "default-priority", null,
                json("{'description':'still the default'}")).path("globalDefault").asBoolean()).isTrue();
    }

    @Test
    void userClassesAreCappedAndSystemNamesReservedButTheSystemClassesExistAndCannotBeDeleted() {
        assertThat(causes(failure(() -> client.create(PRIORITY_CLASSES, null,
                priorityClass("huge", 2_000_000_000L, false))))).containsExactly(
                "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
        assertThat(causes(failure(() -> client.create(PRIORITY_CLASSES, null,
                priorityClass("system-mine", 10, false))))).containsExactly("metadata.name: Forbidden: priority "
                + "class names with 'system-' prefix are reserved for system use only. error: system-mine is not a "
                + "known system priority class");
        BuiltInObjects.all().forEach(item -> client.create(item.resource(), null, item.object()));

        ObjectNode critical = client.get(PRIORITY_CLASSES, null, "system-node-critical");
        assertThat(critical.path("value").asLong()).isEqualTo(2_000_001_000L);
        assertThat(client.get(PRIORITY_CLASSES, null, "system-cluster-critical").path("value").asLong())
                .isEqualTo(2_000_000_000L);
        ApiException delete = failure(() -> client.delete(PRIORITY_CLASSES, null, "system-node-critical"));
        assertThat(delete.code()).isEqualTo(403);
        assertThat(delete.getMessage()).isEqualTo("priorityclasses.scheduling.k8s.io \"system-node-critical\" is "
                + "forbidden: this is a system priority class and cannot be deleted");
    }

    @Test
    void aStorageClassDefaultsItsReclaimPolicyAndBindingModeAndKeepsItsProvisionerAndParameters() {
        ObjectNode created = client.create(STORAGE_CLASSES, null, storageClass("fast"));

        assertThat(created.path("reclaimPolicy").asText()).isEqualTo("Delete");
        assertThat(created.path("volumeBindingMode").asText()).isEqualTo("Immediate");
        assertThat(Json.namespace(created)).isNull();
        ObjectNode update = created.deepCopy();
        update.put("provisioner", "example.com/other");
        ((ObjectNode) update.path("parameters")).put("type", "hdd");
        update.put("reclaimPolicy", "Retain");
        update.put("volumeBindingMode", "WaitForFirstConsumer");
        assertThat(causes(failure(() -> client.update(STORAGE_CLASSES, update)))).containsExactly(
                "parameters: Forbidden: updates to parameters are forbidden.",
                "provisioner: Forbidden: updates to provisioner are forbidden.",
                "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
                "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
        ObjectNode patched = client.mergePatch(STORAGE_CLASSES, null, "fast", null,
                json("{'allowVolumeExpansion':true}"));
        assertThat(patched.path("allowVolumeExpansion").asBoolean()).isTrue();
        assertThat(names(client.list(STORAGE_CLASSES, null, Map.of()))).containsExactly("fast");
        client.delete(STORAGE_CLASSES, null, "fast");
        assertThat(client.find(STORAGE_CLASSES, null, "fast")).isNull();
    }

    @Test
    void aStorageClassNeedsAProvisionerAndKubesEnums() {
        ApiException e = failure(() -> client.create(STORAGE_CLASSES, null, json("{'metadata':{'name':'bad'},"
                + "'reclaimPolicy':'Recycle','volumeBindingMode':'Later'}")));

        assertThat(causes(e)).containsExactly(
                "provisioner: Required value",
                "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
                "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", "
                        + "\"WaitForFirstConsumer\"");
    }

    @Test
    void discoveryHasKubesShortNames() {
        assertThat(texts(discovered("scheduling.k8s.io", "priorityclasses").path("shortNames"))).containsExactly("pc");
        assertThat(texts(discovered("storage.k8s.io", "storageclasses").path("shortNames"))).containsExactly("sc");
        assertThat(discovered("storage.k8s.io", "storageclasses").path("namespaced").asBoolean()).isFalse();
    }
}
