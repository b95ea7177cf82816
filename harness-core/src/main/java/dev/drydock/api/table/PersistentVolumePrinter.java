package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * PersistentVolumes: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS
 * REASON AGE, wide VOLUMEMODE.
 */
final class PersistentVolumePrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Capacity", CoreV1Descriptions.PV_CAPACITY),
            Column.string("Access Modes", CoreV1Descriptions.PV_ACCESS_MODES),
            Column.string("Reclaim Policy", CoreV1Descriptions.PV_RECLAIM_POLICY),
            Column.string("Status", CoreV1Descriptions.PV_PHASE),
            Column.string("Claim", CoreV1Descriptions.PV_CLAIM_REF),
            Column.string("StorageClass", "StorageClass of the pv"),
            Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            Column.string("Reason", CoreV1Descriptions.PV_REASON),
            Column.age(),
            Column.wide("VolumeMode", CoreV1Descriptions.PV_VOLUME_MODE));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pv, Instant now) {
        JsonNode claim = Json.at(pv, "spec", "claimRef");
        String claimRef = claim.isObject() ? Json.text(claim, "namespace") + "/" + Json.text(claim, "name") : "";
        return List.of(
                Json.text(pv, "metadata", "name"),
                StoragePrinters.quantity(pv, "spec", "capacity", "storage"),
                StoragePrinters.accessModes(Json.at(pv, "spec", "accessModes")),
                Json.text(pv, "spec", "persistentVolumeReclaimPolicy"),
                StoragePrinters.phase(pv),
                claimRef,
                StoragePrinters.storageClass(pv),
                StoragePrinters.orUnset(pv, "spec", "volumeAttributesClassName"),
                Json.text(pv, "status", "reason"),
                StoragePrinters.age(pv, now),
                StoragePrinters.orUnset(pv, "spec", "volumeMode"));
    }
}
