package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Quantity;
import dev.drydock.kube.Semantic;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PersistentVolumes and PersistentVolumeClaims as kube's registry serves them: defaults (reclaim policy
 * {@code Retain}, volume mode {@code Filesystem}, phase {@code Pending}), the status cleared on create, and the
 * common rules of {@code ValidatePersistentVolume} and {@code ValidatePersistentVolumeClaim} (access modes,
 * capacity or requested storage, one volume source; a volume's source and a claim's spec are immutable). No
 * controller binds claims to volumes yet.
 */
final class StorageStrategies {

    private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
            "ReadWriteOncePod");
    private static final String ACCESS_MODES_SUPPORTED = "supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
            + "\"ReadWriteOnce\", \"ReadWriteOncePod\"";
    private static final String VOLUME_MODES_SUPPORTED = "supported values: \"Block\", \"Filesystem\"";
    /** The members of kube's {@code PersistentVolumeSource}, in the order its validation checks them. */
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "gcePersistentDisk",
            "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi", "cinder", "fc",
            "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk",
            "scaleIO", "local", "storageos", "csi");

    private StorageStrategies() {
    }

    static final KindStrategy PERSISTENT_VOLUME = new KindStrategy() {
        @Override
        public void defaults(ObjectNode pv) {
            ObjectNode spec = Json.with(pv, "spec");
            if (ServiceStrategy.text(spec, "persistentVolumeReclaimPolicy").isEmpty()) {
                spec.put("persistentVolumeReclaimPolicy", "Retain");
            }
            if (!spec.hasNonNull("volumeMode")) {
                spec.put("volumeMode", "Filesystem");
            }
            if (ServiceStrategy.text(pv.path("status"), "phase").isEmpty()) {
                Json.with(pv, "status").put("phase", "Pending");
            }
            quantities("PersistentVolume", spec.path("capacity"));
        }

        @Override
        public void prepareForCreate(ObjectNode pv) {
            ObjectNode status = pv.putObject("status");
            status.put("phase", "Pending");
            // kube stamps the phase's first transition with the time of creation.
            status.put("lastPhaseTransitionTime", Json.text(pv, "metadata", "creationTimestamp"));
        }

        @Override
        public void validate(ObjectNode pv, List<FieldError> errors) {
            JsonNode spec = pv.path("spec");
            if (spec.path("accessModes").isEmpty()) {
                errors.add(FieldError.required("spec.accessModes", ""));
            }
            accessModes(spec.path("accessModes"), errors);
            JsonNode capacity = spec.path("capacity");
            if (capacity.isEmpty()) {
                errors.add(FieldError.required("spec.capacity", ""));
            }
            if (!capacity.has("storage") || capacity.size() > 1) {
                errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.capacity",
                        new FieldError.Raw(resourceList(spec.get("capacity"))), "supported values: \"storage\""));
            }
            for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(capacity)) {
                if (Quantity.parse(e.getValue().asText()).signum() <= 0) {
                    errors.add(FieldError.invalid("spec.capacity[" + e.getKey() + "]", e.getValue().asText(),
                            "must be greater than zero"));
                }
            }
            String policy = ServiceStrategy.text(spec, "persistentVolumeReclaimPolicy");
            if (!policy.isEmpty() && !Set.of("Delete", "Recycle", "Retain").contains(policy)) {
                errors.add(FieldError.notSupported("spec.persistentVolumeReclaimPolicy", policy,
                        "supported values: \"Delete\", \"Recycle\", \"Retain\""));
            }
            int sources = 0;
            for (String source : VOLUME_SOURCES) {
                JsonNode s = spec.get(source);
                if (s == null || s.isNull()) {
                    continue;
                }
                if (sources > 0 && !source.equals("flexVolume")) {
                    errors.add(FieldError.forbidden("spec." + source, "may not specify more than 1 volume type"));
                    continue;
                }
                sources++;
                validateSource(source, s, spec, errors);
            }
            if (sources == 0) {
                errors.add(FieldError.required("spec", "must specify a volume type"));
            }
            String storageClass = ServiceStrategy.text(spec, "storageClassName");
            if (!storageClass.isEmpty()) {
                Validation.dns1123Subdomain("spec.storageClassName", storageClass, errors);
            }
            String mode = ServiceStrategy.text(spec, "volumeMode");
            if (spec.hasNonNull("volumeMode") && !mode.equals("Block") && !mode.equals("Filesystem")) {
                errors.add(FieldError.notSupported("spec.volumeMode", mode, VOLUME_MODES_SUPPORTED));
            }
        }

        @Override
        public void validateUpdate(ObjectNode pv, ObjectNode old, List<FieldError> errors) {
            for (String source : VOLUME_SOURCES) {
                if (!Semantic.equal(orNull(pv.path("spec").get(source)), orNull(old.path("spec").get(source)))) {
                    errors.add(FieldError.forbidden("spec.persistentvolumesource",
                            "spec.persistentvolumesource is immutable after creation"));
                    break;
                }
            }
            immutableMode(pv, old, errors);
        }
    };

    static final KindStrategy PERSISTENT_VOLUME_CLAIM = new KindStrategy() {
        @Override
        public void defaults(ObjectNode pvc) {
            ObjectNode spec = Json.with(pvc, "spec");
            if (!spec.hasNonNull("volumeMode")) {
                spec.put("volumeMode", "Filesystem");
            }
            if (ServiceStrategy.text(pvc.path("status"), "phase").isEmpty()) {
                Json.with(pvc, "status").put("phase", "Pending");
            }
            quantities("PersistentVolumeClaim", spec.path("resources").path("requests"));
            quantities("PersistentVolumeClaim", spec.path("resources").path("limits"));
        }

        @Override
        public void prepareForCreate(ObjectNode pvc) {
            pvc.putObject("status").put("phase", "Pending");
        }

        @Override
        public void validate(ObjectNode pvc, List<FieldError> errors) {
            JsonNode spec = pvc.path("spec");
            if (spec.path("accessModes").isEmpty()) {
                errors.add(FieldError.required("spec.accessModes", "at least 1 access mode is required"));
            }
            JsonNode selector = spec.get("selector");
            if (selector != null && !selector.isNull()) {
                try {
                    LabelSelector.fromObject(selector);
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.invalid("spec.selector", selector.toString(), e.getMessage()));
                }
            }
            accessModes(spec.path("accessModes"), errors);
            JsonNode storage = spec.path("resources").path("requests").get("storage");
            if (storage == null || storage.isNull()) {
                errors.add(FieldError.required("spec.resources[storage]", ""));
            } else if (Quantity.parse(storage.asText()).signum() <= 0) {
                errors.add(FieldError.invalid("spec.resources[storage]", storage.asText(),
                        "must be greater than zero"));
            }
            String storageClass = ServiceStrategy.text(spec, "storageClassName");
            if (!storageClass.isEmpty()) {
                Validation.dns1123Subdomain("spec.storageClassName", storageClass, errors);
            }
            String mode = ServiceStrategy.text(spec, "volumeMode");
            if (spec.hasNonNull("volumeMode") && !mode.equals("Block") && !mode.equals("Filesystem")) {
                errors.add(FieldError.notSupported("spec.volumeMode", mode, VOLUME_MODES_SUPPORTED));
            }
        }

        @Override
        public void validateUpdate(ObjectNode pvc, ObjectNode old, List<FieldError> errors) {
            ObjectNode was = (ObjectNode) old.path("spec").deepCopy();
            ObjectNode is = (ObjectNode) pvc.path("spec").deepCopy();
            if (ServiceStrategy.text(was, "volumeName").isEmpty()) {
                was.set("volumeName", is.get("volumeName")); // the volume is bound once
                if (!is.has("volumeName")) {
                    was.remove("volumeName");
                }
            }
            if (!was.hasNonNull("storageClassName") && is.hasNonNull("storageClassName")) {
                was.set("storageClassName", is.get("storageClassName")); // a class may be set once
            }
            if ("Bound".equals(Json.text(pvc, "status", "phase"))) {
                // A bound claim may grow (or have its attributes class changed).
                Json.with(is, "resources", "requests").set("storage",
                        was.path("resources").path("requests").get("storage"));
                is.set("volumeAttributesClassName", was.get("volumeAttributesClassName"));
            }
            if (!Semantic.equal(was, is)) {
                errors.add(FieldError.forbidden("spec", "spec is immutable after creation except resources.requests "
                        + "and volumeAttributesClassName for bound claims"));
            }
            immutableMode(pvc, old, errors);
        }
    };

    private static void accessModes(JsonNode modes, List<FieldError> errors) {
        boolean oncePod = false;
        boolean other = false;
        for (JsonNode m : modes) {
            String mode = m.asText();
            if (!ACCESS_MODES.contains(mode)) {
                errors.add(FieldError.notSupported("spec.accessModes", mode, ACCESS_MODES_SUPPORTED));
            } else if (mode.equals("ReadWriteOncePod")) {
                oncePod = true;
            } else {
                other = true;
            }
        }
        if (oncePod && other) {
            errors.add(FieldError.forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access "
                    + "modes"));
        }
    }

    private static void validateSource(String source, JsonNode s, JsonNode spec, List<FieldError> errors) {
        String path = "spec." + source;
        switch (source) {
            case "hostPath" -> {
                if (ServiceStrategy.text(s, "path").isEmpty()) {
                    errors.add(FieldError.required(path + ".path", ""));
                }
            }
            case "nfs" -> {
                if (ServiceStrategy.text(s, "server").isEmpty()) {
                    errors.add(FieldError.required(path + ".server", ""));
                }
                if (ServiceStrategy.text(s, "path").isEmpty()) {
                    errors.add(FieldError.required(path + ".path", ""));
                } else if (!ServiceStrategy.text(s, "path").startsWith("/")) {
                    errors.add(FieldError.invalid(path + ".path", ServiceStrategy.text(s, "path"),
                            "must be an absolute path"));
                }
            }
            case "local" -> {
                if (ServiceStrategy.text(s, "path").isEmpty()) {
                    errors.add(FieldError.required(path + ".path", ""));
                }
                if (!spec.hasNonNull("nodeAffinity")) {
                    errors.add(FieldError.required("spec.nodeAffinity", "Local volume requires node affinity"));
                }
            }
            case "csi" -> {
                if (ServiceStrategy.text(s, "driver").isEmpty()) {
                    errors.add(FieldError.required(path + ".driver", ""));
                }
                if (ServiceStrategy.text(s, "volumeHandle").isEmpty()) {
                    errors.add(FieldError.required(path + ".volumeHandle", ""));
                }
            }
            default -> {
            }
        }
    }

    /** {@code volumeMode} cannot change (kube names the field without its {@code spec.}). */
    private static void immutableMode(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
        String is = ServiceStrategy.text(obj.path("spec"), "volumeMode");
        if (!is.equals(ServiceStrategy.text(old.path("spec"), "volumeMode"))) {
            errors.add(FieldError.invalid("volumeMode", is, "field is immutable"));
        }
    }

    /** Quantities that do not parse are refused as kube's decoder refuses them: a 400, before validation. */
    static void quantities(String kind, JsonNode resources) {
        for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(resources)) {
            try {
                Quantity.parse(e.getValue().asText());
            } catch (IllegalArgumentException ex) {
                throw ApiException.of(400, "BadRequest", kind + " in version \"v1\" cannot be handled as a " + kind
                        + ": " + ex.getMessage());
            }
        }
    }

    /** A {@code core.ResourceList} as Go's {@code %#v} shows it, its quantities shortened to their text. */
    private static String resourceList(JsonNode list) {
        if (list == null || list.isMissingNode() || list.isNull()) {
            return "core.ResourceList(nil)";
        }
        StringBuilder b = new StringBuilder("core.ResourceList{");
        int i = 0;
        for (Map.Entry<String, JsonNode> e : ConfigDataStrategies.fields(list)) {
            b.append(i++ > 0 ? ", " : "").append(FieldError.goQuote(e.getKey())).append(':')
                    .append(FieldError.goQuote(e.getValue().asText()));
        }
        return b.append('}').toString();
    }

    private static JsonNode orNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    static BigDecimal quantity(JsonNode n) {
        return Quantity.parse(n.asText());
    }
}
