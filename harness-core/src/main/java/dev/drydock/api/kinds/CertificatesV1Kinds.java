package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.UpdateSubresource;
import dev.drydock.api.Validation;
import dev.drydock.api.auth.UserInfo;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code certificates.k8s.io/v1} CertificateSigningRequest, with {@code status} and {@code approval} subresources
 * as kube serves them ({@code pkg/registry/certificates/certificates/strategy.go} and
 * {@code pkg/apis/certificates/validation}): the request must be a PEM PKCS#10 request whose signature verifies, the
 * signer name is required, the requestor ({@code spec.username}, {@code groups}) is the caller, the spec never
 * changes after create (updates keep the stored one), and the Approved and Denied conditions (mutually exclusive,
 * never removed) change only through {@code approval}; {@code status} writes the certificate and other conditions.
 * No signer runs: an approved request stays without a certificate until a test or controller writes one.
 */
public final class CertificatesV1Kinds {

    static final Resource CERTIFICATE_SIGNING_REQUESTS = new Resource("certificates.k8s.io", "v1",
            "certificatesigningrequests", "CertificateSigningRequest", false);

    private static final String LEGACY_UNKNOWN = "kubernetes.io/legacy-unknown";
    private static final Set<String> USAGES = new TreeSet<>(List.of("signing", "digital signature",
            "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign",
            "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
            "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping",
            "ocsp signing", "microsoft sgc", "netscape sgc"));
    private static final List<String> TRUE_ONLY = List.of("Approved", "Denied", "Failed");

    private CertificatesV1Kinds() {
    }

    /** Adds CertificateSigningRequest. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(CERTIFICATE_SIGNING_REQUESTS).shortNames("csr").status()
                .subresource("approval", new UpdateSubresource(CertificatesV1Kinds::approve))
                .strategy(CSR).fields("spec.signerName").build());
    }

    static final KindStrategy CSR = new KindStrategy() {
        @Override
        public void validateName(String field, String name, List<FieldError> errors) {
            // kube: "We don't care what you call your certificate requests."
        }

        /** The requestor is the caller (drydock's admin), and a request is created with an empty status. */
        @Override
        public void prepareForCreate(ObjectNode csr) {
            ObjectNode spec = Json.with(csr, "spec");
            UserInfo caller = UserInfo.ADMIN;
            for (String field : List.of("username", "uid", "groups", "extra")) {
                spec.remove(field);
            }
            ObjectNode user = caller.toJson();
            user.properties().forEach(e -> spec.set(e.getKey(), e.getValue()));
            csr.putObject("status");
        }

        @Override
        public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
            csr.set("spec", old.path("spec").deepCopy());
        }

        /** kube's status strategy: Approved and Denied conditions stay as stored, timestamps are filled. */
        @Override
        public void prepareForStatusUpdate(ObjectNode csr, ObjectNode old, Instant now) {
            ArrayNode conditions = conditions(csr);
            for (String type : List.of("Approved", "Denied")) {
                List<Integer> oldAt = indices(conditions(old), type);
                List<Integer> newAt = indices(conditions, type);
                if (oldAt.size() == newAt.size()) {
                    for (int i = 0; i < oldAt.size(); i++) {
                        conditions.set(newAt.get(i), conditions(old).get(oldAt.get(i)).deepCopy());
                    }
                }
            }
            populateTimestamps(conditions, conditions(old), now);
        }

        @Override
        public void validate(ObjectNode csr, List<FieldError> errors) {
            validateCsr(csr, errors);
        }

        @Override
        public void validateUpdate(ObjectNode csr, ObjectNode old, List<FieldError> errors) {
            validateUpdateOf(csr, old, false, errors);
        }
    };

    /** The approval subresource's update: only the conditions change (and the metadata a client may set). */
    static ObjectNode approve(ObjectNode old, ObjectNode incoming, Instant now) {
        ObjectNode next = old.deepCopy();
        ArrayNode conditions = incoming.path("status").path("conditions") instanceof ArrayNode a
                ? a.deepCopy() : Json.array();
        populateTimestamps(conditions, conditions(old), now);
        ObjectNode status = Json.with(next, "status");
        if (conditions.isEmpty()) {
            status.remove("conditions");
        } else {
            status.set("conditions", conditions);
        }
        ObjectNode meta = Json.with(next, "metadata");
        for (String field : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
            JsonNode value = incoming.path("metadata").get(field);
            if (value == null || value.isNull()) {
                meta.remove(field);
            } else {
                meta.set(field, value.deepCopy());
            }
        }
        List<FieldError> errors = new ArrayList<>();
        Validation.labels("metadata.labels", meta.get("labels"), errors);
        Validation.annotations("metadata.annotations", meta.get("annotations"), errors);
        validateCsr(next, errors);
        validateUpdateOf(next, old, true, errors);
        if (!errors.isEmpty()) {
            throw Errors.invalid(CERTIFICATE_SIGNING_REQUESTS.group(), CERTIFICATE_SIGNING_REQUESTS.kind(),
                    Json.name(old), errors);
        }
        return next;
    }

    /** kube's {@code validateCertificateSigningRequest}, with the options of a v1 request. */
    static void validateCsr(ObjectNode csr, List<FieldError> errors) {
        JsonNode spec = csr.path("spec");
        byte[] request = base64("spec.request", spec.path("request").asText(""));
        String why = CertificateRequests.check(request);
        if (why != null) {
            errors.add(FieldError.invalidRaw("spec.request", goBytes(request), why));
        }
        JsonNode usages = spec.path("usages");
        if (usages.isEmpty()) {
            errors.add(FieldError.required("spec.usages", ""));
        }
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode usage : usages) {
            String u = usage.asText();
            if (!USAGES.contains(u)) {
                errors.add(FieldError.notSupported("spec.usages[" + i + "]", u, "supported values: "
                        + String.join(", ", USAGES.stream().map(FieldError::goQuote).toList())));
            }
            if (!seen.add(u)) {
                errors.add(FieldError.duplicate("spec.usages[" + i + "]", u));
            }
            i++;
        }
        String signer = spec.path("signerName").asText("");
        if (signer.equals(LEGACY_UNKNOWN)) {
            errors.add(FieldError.invalid("spec.signerName", signer,
                    "the legacy signerName is not allowed via this API version"));
        } else {
            signerName("spec.signerName", signer, errors);
        }
        JsonNode expiration = spec.get("expirationSeconds");
        if (expiration != null && !expiration.isNull() && expiration.asLong() < 600) {
            errors.add(FieldError.invalidRaw("spec.expirationSeconds", expiration.asText(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        validateConditions(csr, errors);
        String certificate = csr.path("status").path("certificate").asText("");
        if (!certificate.isEmpty()) {
            String bad = checkCertificate(base64("status.certificate", certificate));
            if (bad != null) {
                errors.add(FieldError.invalid("status.certificate", "<certificate data>", bad));
            }
        }
    }

    /** kube's {@code validateConditions}. */
    private static void validateConditions(ObjectNode csr, List<FieldError> errors) {
        Set<String> types = new HashSet<>();
        boolean approved = false;
        boolean denied = false;
        int i = 0;
        for (JsonNode c : conditions(csr)) {
            String path = "status.conditions[" + i + "]";
            String type = c.path("type").asText("");
            String status = c.path("status").asText("");
            if (type.isEmpty()) {
                errors.add(FieldError.required(path + ".type", ""));
            }
            if (status.isEmpty()) {
                errors.add(FieldError.required(path + ".status", ""));
            } else if (TRUE_ONLY.contains(type) ? !status.equals("True")
                    : !List.of("False", "True", "Unknown").contains(status)) {
                errors.add(FieldError.notSupported(path + ".status", status, TRUE_ONLY.contains(type)
                        ? "supported values: \"True\"" : "supported values: \"False\", \"True\", \"Unknown\""));
            }
            if (type.equals("Approved")) {
                approved = true;
                if (denied) {
                    errors.add(FieldError.invalid("status.conditions", type,
                            "Approved and Denied conditions are mutually exclusive"));
                }
            } else if (type.equals("Denied")) {
                denied = true;
                if (approved) {
                    errors.add(FieldError.invalid("status.conditions", type,
                            "Approved and Denied conditions are mutually exclusive"));
                }
            }
            if (!types.add(type)) {
                errors.add(FieldError.duplicate(path + ".type", type));
            }
            i++;
        }
    }

    /**
     * kube's {@code validateCertificateSigningRequestUpdate}: Approved, Denied and Failed conditions are never
     * removed; Approved and Denied change only through {@code approval}; an issued certificate never changes.
     */
    private static void validateUpdateOf(ObjectNode csr, ObjectNode old, boolean approval, List<FieldError> errors) {
        for (String type : TRUE_ONLY) {
            if (find(csr, type).size() < find(old, type).size()) {
                errors.add(FieldError.forbidden("status.conditions",
                        "updates may not remove a condition of type \"" + type + "\""));
            }
        }
        if (!approval) {
            for (String type : List.of("Approved", "Denied")) {
                List<JsonNode> before = find(old, type);
                List<JsonNode> after = find(csr, type);
                if (after.size() > before.size()) {
                    errors.add(FieldError.forbidden("status.conditions",
                            "updates may not add a condition of type \"" + type + "\""));
                } else if (after.size() == before.size() && !Semantic.equal(Json.array().addAll(before),
                        Json.array().addAll(after))) {
                    errors.add(FieldError.forbidden("status.conditions",
                            "updates may not modify a condition of type \"" + type + "\""));
                }
            }
        }
        String certificate = csr.path("status").path("certificate").asText("");
        String oldCertificate = old.path("status").path("certificate").asText("");
        if (!certificate.equals(oldCertificate)) {
            if (approval) {
                errors.add(FieldError.forbidden("status.certificate", "updates may not set certificate content"));
            } else if (!oldCertificate.isEmpty()) {
                errors.add(FieldError.forbidden("status.certificate",
                        "updates may not modify existing certificate content"));
            }
        }
    }

    /** kube's {@code ValidateSignerName}: {@code example.com/signer-name}. */
    static void signerName(String path, String signer, List<FieldError> errors) {
        if (signer.isEmpty()) {
            errors.add(FieldError.required(path, ""));
            return;
        }
        String[] segments = signer.split("/", -1);
        if (segments.length != 2) {
            errors.add(FieldError.invalid(path, signer,
                    "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
            return;
        }
        String domain = segments[0];
        if (domain.length() > 253) {
            errors.add(FieldError.tooLong(path, 253));
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            List<FieldError> labelErrors = new ArrayList<>();
            Validation.dns1123Label(path, label, labelErrors);
            if (!labelErrors.isEmpty()) {
                labelErrors.forEach(e -> errors.add(FieldError.invalid(path, domain,
                        "validating label " + FieldError.goQuote(label) + ": " + e.detail())));
                break;
            }
        }
        if (labels.length < 2) {
            errors.add(FieldError.invalid(path, domain, "should be a domain with at least two segments separated by "
                    + "dots"));
        }
        String signerPath = segments[1];
        for (String label : signerPath.split("\\.", -1)) {
            List<FieldError> labelErrors = new ArrayList<>();
            Validation.dns1123Subdomain(path, label, labelErrors);
            if (!labelErrors.isEmpty()) {
                labelErrors.forEach(e -> errors.add(FieldError.invalid(path, signerPath,
                        "validating label " + FieldError.goQuote(label) + ": " + e.detail())));
                break;
            }
        }
        int maxSignerName = 253 + (253 + 63 + 1) + 1;
        if (signer.length() > maxSignerName) {
            errors.add(FieldError.tooLong(path, maxSignerName));
        }
    }

    /** kube's {@code validateCertificate}: PEM CERTIFICATE blocks only, each an X.509 certificate. */
    private static String checkCertificate(byte[] pem) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        int blocks = 0;
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                break;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                break;
            }
            String type = text.substring(begin + 11, typeEnd);
            if (!type.equals("CERTIFICATE")) {
                return "only CERTIFICATE PEM blocks are allowed, found " + FieldError.goQuote(type);
            }
            byte[] der = CertificateRequests.pemBlock(text.substring(begin), "CERTIFICATE");
            if (der == null) {
                break;
            }
            try {
                if (java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(der)).isEmpty()) {
                    return "found CERTIFICATE PEM block containing 0 certificates";
                }
            } catch (java.security.cert.CertificateException e) {
                return "x509: malformed certificate";
            }
            blocks++;
            at = text.indexOf("-----END CERTIFICATE-----", begin) + 25;
        }
        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }

    /**
     * The bytes of a {@code []byte} field; base64 that does not decode is refused as kube's JSON decoder refuses
     * it, with a 400 before validation.
     */
    private static byte[] base64(String field, String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            int at = 0;
            while (at < text.length() && "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
                    .indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            throw ApiException.of(400, "BadRequest", "CertificateSigningRequest in version \"v1\" cannot be handled "
                    + "as a CertificateSigningRequest: illegal base64 data at input byte " + at);
        }
    }

    /** A {@code []byte} as Go's {@code %#v} prints it. */
    private static String goBytes(byte[] bytes) {
        StringBuilder s = new StringBuilder("[]byte{");
        for (int i = 0; i < bytes.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format("0x%x", bytes[i] & 0xff));
        }
        return s.append('}').toString();
    }

    /** kube's {@code populateConditionTimestamps}. */
    private static void populateTimestamps(ArrayNode conditions, ArrayNode old, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : conditions) {
            if (!(c instanceof ObjectNode condition)) {
                continue;
            }
            if (!condition.hasNonNull("lastUpdateTime")) {
                condition.put("lastUpdateTime", time);
            }
            if (!condition.hasNonNull("lastTransitionTime")) {
                String transition = time;
                for (JsonNode o : old) {
                    if (o.path("type").asText().equals(condition.path("type").asText())
                            && o.path("status").asText().equals(condition.path("status").asText())
                            && o.hasNonNull("lastTransitionTime")) {
                        transition = o.path("lastTransitionTime").asText();
                        break;
                    }
                }
                condition.put("lastTransitionTime", transition);
            }
        }
    }

    /** The conditions of a request (a detached empty list when it has none). */
    private static ArrayNode conditions(JsonNode csr) {
        return csr.path("status").path("conditions") instanceof ArrayNode array ? array : Json.array();
    }

    private static List<Integer> indices(ArrayNode conditions, String type) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            if (conditions.get(i).path("type").asText().equals(type)) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<JsonNode> find(JsonNode csr, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : csr.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                out.add(c);
            }
        }
        return out;
    }
}
