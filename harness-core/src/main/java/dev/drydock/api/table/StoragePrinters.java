package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Access modes and storage classes as kube's printers show them for volumes and claims. */
final class StoragePrinters {

    private static final String STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    private StoragePrinters() {
    }

    /** kube's {@code GetAccessModesAsString}: {@code RWO,ROX,RWX,RWOP}, each once, in that order. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        if (modes != null) {
            modes.forEach(m -> present.add(m.asText()));
        }
        List<String> out = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) {
            out.add("RWO");
        }
        if (present.contains("ReadOnlyMany")) {
            out.add("ROX");
        }
        if (present.contains("ReadWriteMany")) {
            out.add("RWX");
        }
        if (present.contains("ReadWriteOncePod")) {
            out.add("RWOP");
        }
        return String.join(",", out);
    }

    /** The class of a volume or claim: the beta annotation if set, else {@code spec.storageClassName}. */
    static String storageClass(JsonNode obj) {
        JsonNode annotation = Json.at(obj, "metadata", "annotations", STORAGE_CLASS_ANNOTATION);
        return annotation.isTextual() ? annotation.asText() : Json.text(obj, "spec", "storageClassName");
    }

    /** A pointer field kube prints as {@code <unset>} when nil. */
    static String orUnset(JsonNode obj, String... path) {
        return Json.has(obj, path) ? Json.text(obj, path) : "<unset>";
    }

    /** The phase, or {@code Terminating} while the object is being deleted. */
    static String phase(JsonNode obj) {
        return Json.has(obj, "metadata", "deletionTimestamp") ? "Terminating" : Json.text(obj, "status", "phase");
    }

    /** A quantity as stored (kube prints its canonical form; drydock keeps what was written), "0" when absent. */
    static String quantity(JsonNode obj, String... path) {
        return Json.has(obj, path) ? Json.text(obj, path) : "0";
    }

    static String age(JsonNode obj, Instant now) {
        return HumanDuration.since(Json.time(obj, "metadata", "creationTimestamp"), now);
    }
}
