package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * PersistentVolumeClaims: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, wide
 * VOLUMEMODE. Capacity and access modes are the bound volume's, blank until the claim is bound.
 */
final class PersistentVolumeClaimPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Status", CoreV1Descriptions.PVC_PHASE),
            Column.string("Volume", CoreV1Descriptions.PVC_VOLUME_NAME),
            Column.string("Capacity", CoreV1Descriptions.PVC_CAPACITY),
            Column.string("Access Modes", CoreV1Descriptions.PVC_ACCESS_MODES),
            Column.string("StorageClass", "StorageClass of the pvc"),
            Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            Column.age(),
            Column.wide("VolumeMode", CoreV1Descriptions.PVC_VOLUME_MODE));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pvc, Instant now) {
        String volume = Json.text(pvc, "spec", "volumeName");
        boolean bound = !volume.isEmpty();
        return List.of(
                Json.text(pvc, "metadata", "name"),
                StoragePrinters.phase(pvc),
                volume,
                bound ? StoragePrinters.quantity(pvc, "status", "capacity", "storage") : "",
                bound ? StoragePrinters.accessModes(Json.at(pvc, "status", "accessModes")) : "",
                StoragePrinters.storageClass(pvc),
                StoragePrinters.orUnset(pvc, "spec", "volumeAttributesClassName"),
                StoragePrinters.age(pvc, now),
                StoragePrinters.orUnset(pvc, "spec", "volumeMode"));
    }
}
