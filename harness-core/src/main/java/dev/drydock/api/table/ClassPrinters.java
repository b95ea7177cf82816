package dev.drydock.api.table;

import java.time.Duration;
import java.util.List;

/** kube's printers of PriorityClass, StorageClass and CertificateSigningRequest. */
final class ClassPrinters {

    private ClassPrinters() {
    }

    /** NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. */
    static Printer priorityClass() {
        List<Column> columns = List.of(
                Column.objectName(),
                new Column("Value", "integer", "", "value represents the integer value of this priority class. This "
                        + "is the actual priority that pods receive when they have the name of this class in their "
                        + "pod spec.", 0),
                new Column("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass "
                        + "should be considered as the default priority for pods that do not have any priority "
                        + "class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one "
                        + "PriorityClasses exists with their `globalDefault` field set to true, the smallest value "
                        + "of such global default PriorityClasses will be used as the default priority.", 0),
                Column.age(),
                Column.string("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower "
                        + "priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."));
        return NetworkingPrinters.printer(columns, (pc, now) -> List.of(
                Json.text(pc, "metadata", "name"),
                Json.integer(pc, "value"),
                Json.bool(pc, "globalDefault"),
                HumanDuration.since(Json.time(pc, "metadata", "creationTimestamp"), now),
                Json.text(pc, "preemptionPolicy")));
    }

    /** NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class is marked. */
    static Printer storageClass() {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.string("Provisioner", "provisioner indicates the type of the provisioner."),
                Column.string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically "
                        + "provisioned PersistentVolumes of this storage class. Defaults to Delete."),
                Column.string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be "
                        + "provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only "
                        + "honored by servers that enable the VolumeScheduling feature."),
                Column.string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow "
                        + "volume expand."),
                Column.age());
        return NetworkingPrinters.printer(columns, (sc, now) -> {
            String name = Json.text(sc, "metadata", "name");
            if (isDefault(sc)) {
                name += " (default)";
            }
            return List.of(name, Json.text(sc, "provisioner"),
                    Json.firstNonEmpty(Json.text(sc, "reclaimPolicy"), "Delete"),
                    Json.firstNonEmpty(Json.text(sc, "volumeBindingMode"), "Immediate"),
                    Json.bool(sc, "allowVolumeExpansion"),
                    HumanDuration.since(Json.time(sc, "metadata", "creationTimestamp"), now));
        });
    }

    /** kube's {@code IsDefaultAnnotation}: the GA or the beta annotation set to "true". */
    private static boolean isDefault(com.fasterxml.jackson.databind.JsonNode sc) {
        com.fasterxml.jackson.databind.JsonNode annotations = Json.at(sc, "metadata", "annotations");
        return "true".equals(annotations.path("storageclass.kubernetes.io/is-default-class").asText(""))
                || "true".equals(annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText(""));
    }

    /** NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION. */
    static Printer certificateSigningRequest() {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.age(),
                Column.string("SignerName", "Requested signer for the request. It is a qualified name in the form: "
                        + "`scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it's a kubelet client "
                        + "certificate, it is assigned\n    \"kubernetes.io/kube-apiserver-client-kubelet\".\n 2. If "
                        + "it's a kubelet serving certificate, it is assigned\n    \"kubernetes.io/kubelet-serving\"."
                        + "\n 3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\nDistribution of trust "
                        + "for signers happens out of band. You can select on this field using `spec.signerName`."),
                Column.string("Requestor", "Base64-encoded PKCS#10 CSR data"),
                Column.string("RequestedDuration", "expirationSeconds is the requested duration of validity of the "
                        + "issued certificate. The certificate signer may issue a certificate with a different "
                        + "validity duration so a client must check the delta between the notBefore and and notAfter "
                        + "fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree "
                        + "implementations of the well-known Kubernetes signers will honor this field as long as the "
                        + "requested duration is not greater than the maximum duration they will honor per the "
                        + "--cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate "
                        + "signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware "
                        + "of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose "
                        + "configured maximum is shorter than the requested duration\n  3. Signer whose configured "
                        + "minimum is longer than the requested duration\n\nThe minimum valid value for "
                        + "expirationSeconds is 600, i.e. 10 minutes."),
                Column.string("Condition", "Conditions applied to the request, such as approval or denial."));
        return NetworkingPrinters.printer(columns, (csr, now) -> List.of(
                Json.text(csr, "metadata", "name"),
                HumanDuration.since(Json.time(csr, "metadata", "creationTimestamp"), now),
                Json.firstNonEmpty(Json.text(csr, "spec", "signerName"), "<none>"),
                Json.text(csr, "spec", "username"),
                Json.has(csr, "spec", "expirationSeconds")
                        ? HumanDuration.format(Duration.ofSeconds(Json.integer(csr, "spec", "expirationSeconds")))
                        : "<none>",
                csrCondition(csr)));
    }

    /** kube's {@code extractCSRStatus}: Denied, Approved or Pending, then Failed and Issued. */
    private static String csrCondition(com.fasterxml.jackson.databind.JsonNode csr) {
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        for (com.fasterxml.jackson.databind.JsonNode c : Json.elements(csr, "status", "conditions")) {
            switch (Json.text(c, "type")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> {
                    // other conditions do not show
                }
            }
        }
        String status = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed) {
            status += ",Failed";
        }
        if (!Json.text(csr, "status", "certificate").isEmpty()) {
            status += ",Issued";
        }
        return status;
    }
}
