package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** certificates.k8s.io/v1 CertificateSigningRequest with its status and approval subresources, as kube serves it. */
class CertificateSigningRequestTest extends KindTestSupport {

    static final Resource CSRS = new Resource("certificates.k8s.io", "v1", "certificatesigningrequests",
            "CertificateSigningRequest", false);

    /** A request made by {@code openssl req -new -newkey rsa:2048 -subj /CN=alice/O=devs}. */
    static final String OPENSSL_RSA_CSR = """
            -----BEGIN CERTIFICATE REQUEST-----
            MIICZDCCAUwCAQAwHzEOMAwGA1UEAwwFYWxpY2UxDTALBgNVBAoMBGRldnMwggEi
            MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC1N4yH048ZGcml9627+s4SDJ4B
            zQt8lAXpUam+tP3s+inRlhXp8khzPxeOps2wilV3Tj5m8yl7BZR+MfB7ZK8I1CO+
            n6L2HOD9vRnxl7XFd9knUzKph3zunjQOqZNcgxXV8XmfgKgSj9CDL8d4VP3oW4fK
            aZHvMStLp4JZlUQHfT8xF2u6NQZ8RWKkFCeRjcrNQh7jgKAfGVmdyXEF9FLNSW5C
            76ZpflFIBrWGat8l82UBtDGOD1gmAZfq983jV6m8Ru53CZ6M9XBC5r4WHzAVN4/L
            8Fw6LQo2KrlGnz+UF1/OhFqAnV0UrxaJtYt2CZ9WMYYVFX3SrkniiQf6jcNPAgMB
            AAGgADANBgkqhkiG9w0BAQsFAAOCAQEABXNsjcXdi4jrKkkxGXfYYsg3G9oTEkpz
            8rYEhB2yJeMBaPRI8VVSZkzM4dywWnuVcX0Zr3prZGmKTSiD4kzH1ULlM827OvZr
            12x5+SRX2t3Hu8ipZprNLw5FYC8FcjRg0S7wYn3xX5h/XymMoZijmdE9uSPooQot
            +rybQcJ3Nmeq0Jb2Yk5+0Fvb/hxujZAI4ZbSaGErl1OJjZ/JVCeejUHFq7fq50fs
            f3EYidw1s7L0WKc2P99xXncuH0bY86o63LklWZnMB2w7MzFAOTjIcDikBC8tApzJ
            qTZIqjHQJ4ZaJDDwKv8/KkIVNEGpWWH5dilxkXCgNCZEkTT7wQnKbA==
            -----END CERTIFICATE REQUEST-----
            """;

    /** A self-signed certificate made by {@code openssl req -x509 -newkey ec}. */
    static final String OPENSSL_CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBdDCCARugAwIBAgIUST80A6u1w+sHWsKSubosPaSyHVIwCgYIKoZIzj0EAwIw
            EDEOMAwGA1UEAwwFYWxpY2UwHhcNMjYxMTMwMjEyMzE4WhcNMzYxMTI3MjEyMzE4
            WjAQMQ4wDAYDVQQDDAVhbGljZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEhs
            4jaLlRUkQFmDj6kt2A3Fr3bgUi/mbXZhtCBj9p9oEaMZ/iKnErlHlFqrmW+ix0/h
            elZ+LijYY0vUBJfdDmWjUzBRMB0GA1UdDgQWBBSHFXD1Vr9Te++eH77dX0WOocq7
            QzAfBgNVHSMEGDAWgBSHFXD1Vr9Te++eH77dX0WOocq7QzAPBgNVHRMBAf8EBTAD
            AQH/MAoGCCqGSM49BAMCA0cAMEQCID9qgU2WGeCAOSo62oT8aF9PD3GJ6QBuDRde
            IqMj6/QIAiAyd/ptwa0/GsqBX1462R3AgkdN8+sEpyYcXarbIwoLAA==
            -----END CERTIFICATE-----
            """;

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    static ObjectNode csr(String name, String pem) {
        return json("{'apiVersion':'certificates.k8s.io/v1','kind':'CertificateSigningRequest','metadata':{'name':'"
                + name + "'},'spec':{'request':'" + base64(pem) + "','signerName':'example.com/my-signer',"
                + "'usages':['client auth'],'expirationSeconds':86400,'username':'mallory','groups':['x']}}");
    }

    @Test
    void aRequestIsCreatedByTheCallerWithAnEmptyStatus() {
        ObjectNode created = client.create(CSRS, null, csr("alice", OPENSSL_RSA_CSR));

        JsonNode spec = created.path("spec");
        assertThat(spec.path("username").asText()).as("the caller, not what the client claimed")
                .isEqualTo("kubernetes-admin");
        assertThat(texts(spec.path("groups"))).containsExactly("system:masters", "system:authenticated");
        assertThat(created.path("status").isObject()).isTrue();
        assertThat(created.path("status").isEmpty()).isTrue();
        assertThat(client.get(CSRS, null, "alice")).isEqualTo(created);
        assertThat(Json.namespace(created)).isNull();
    }

    @Test
    void aRequestMadeWithTheJdksEcdsaAndEd25519KeysVerifies() throws Exception {
        client.create(CSRS, null, csr("ec", Pkcs10.request("EC", "SHA256withECDSA", "1.2.840.10045.4.3.2")));
        client.create(CSRS, null, csr("ed", Pkcs10.request("Ed25519", "Ed25519", "1.3.101.112")));

        assertThat(names(client.list(CSRS, null, Map.of()))).containsExactly("ec", "ed");
    }

    @Test
    void aRequestThatIsNotAPkcs10RequestOrWhoseSignatureFailsIsInvalid() throws Exception {
        ApiException notPem = failure(() -> client.create(CSRS, null, csr("bad", "hello")));
        assertThat(causes(notPem)).singleElement().asString()
                .isEqualTo("spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must "
                        + "be CERTIFICATE REQUEST");

        String forged = Pkcs10.request("EC", "SHA256withECDSA", "1.2.840.10045.4.3.2", true);
        ApiException badSignature = failure(() -> client.create(CSRS, null, csr("forged", forged)));
        assertThat(causes(badSignature)).singleElement().asString().endsWith(": x509: ECDSA verification failure");
        ApiException wrongType = failure(() -> client.create(CSRS, null, csr("cert", OPENSSL_CERTIFICATE)));
        assertThat(causes(wrongType)).singleElement().asString()
                .endsWith(": PEM block type must be CERTIFICATE REQUEST");
    }

    @Test
    void signerNameAndUsagesAreRequiredWithKubesWords() {
        ObjectNode missing = csr("x", OPENSSL_RSA_CSR);
        ObjectNode spec = (ObjectNode) missing.path("spec");
        spec.remove("signerName");
        spec.remove("usages");

        assertThat(causes(failure(() -> client.create(CSRS, null, missing))))
                .containsExactly("spec.usages: Required value", "spec.signerName: Required value");

        spec.put("signerName", "my-signer");
        spec.putArray("usages").add("client auth").add("flying").add("client auth");
        assertThat(causes(failure(() -> client.create(CSRS, null, missing)))).containsExactly(
                "spec.usages[1]: Unsupported value: \"flying\": supported values: \"any\", \"cert sign\", "
                        + "\"client auth\", \"code signing\", \"content commitment\", \"crl sign\", "
                        + "\"data encipherment\", \"decipher only\", \"digital signature\", \"email protection\", "
                        + "\"encipher only\", \"ipsec end system\", \"ipsec tunnel\", \"ipsec user\", "
                        + "\"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\", "
                        + "\"ocsp signing\", \"s/mime\", \"server auth\", \"signing\", \"timestamping\"",
                "spec.usages[2]: Duplicate value: \"client auth\"",
                "spec.signerName: Invalid value: \"my-signer\": must be a fully qualified domain and path of the "
                        + "form 'example.com/signer-name'");
        spec.put("signerName", "kubernetes.io/legacy-unknown");
        spec.putArray("usages").add("client auth");
        spec.put("expirationSeconds", 60);
        assertThat(causes(failure(() -> client.create(CSRS, null, missing)))).containsExactly(
                "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not "
                        + "allowed via this API version",
                "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds "
                        + "(10 minutes)");
    }

    @Test
    void theSpecNeverChangesAfterCreateButMetadataDoes() {
        ObjectNode created = client.create(CSRS, null, csr("alice", OPENSSL_RSA_CSR));
        ObjectNode update = created.deepCopy();
        ((ObjectNode) update.path("spec")).put("signerName", "example.com/other");
        Json.with(update, "metadata", "labels").put("team", "a");

        ObjectNode updated = client.update(CSRS, update);

        assertThat(updated.path("spec").path("signerName").asText()).isEqualTo("example.com/my-signer");
        assertThat(updated.path("metadata").path("labels").path("team").asText()).isEqualTo("a");
        ObjectNode patched = client.mergePatch(CSRS, null, "alice", null,
                json("{'spec':{'usages':['server auth']},'metadata':{'labels':{'team':'b'}}}"));
        assertThat(texts(patched.path("spec").path("usages"))).containsExactly("client auth");
        assertThat(patched.path("metadata").path("labels").path("team").asText()).isEqualTo("b");
    }

    @Test
    void approvalIsOnlyThroughTheApprovalSubresourceAndCannotBeUndone() {
        ObjectNode created = client.create(CSRS, null, csr("alice", OPENSSL_RSA_CSR));
        ObjectNode approve = created.deepCopy();
        ((ObjectNode) approve.path("status")).putArray("conditions").addObject().put("type", "Approved")
                .put("status", "True").put("reason", "KubectlApprove")
                .put("message", "This CSR was approved by kubectl certificate approve.");

        ApiException viaStatus = failure(() -> client.updateStatus(CSRS, approve));
        assertThat(causes(viaStatus)).containsExactly(
                "status.conditions: Forbidden: updates may not add a condition of type \"Approved\"");
        ObjectNode viaUpdate = client.update(CSRS, approve);
        assertThat(viaUpdate.path("status").has("conditions")).as("the main resource keeps the status").isFalse();

        ObjectNode approved = approval(approve);

        JsonNode condition = approved.path("status").path("conditions").get(0);
        assertThat(condition.path("type").asText()).isEqualTo("Approved");
        assertThat(condition.path("lastUpdateTime").asText()).isNotEmpty();
        assertThat(condition.path("lastTransitionTime").asText()).isNotEmpty();
        assertThat(client.get(CSRS, null, "alice").path("status")).isEqualTo(approved.path("status"));

        ObjectNode deny = approved.deepCopy();
        ((ArrayNode) deny.path("status").path("conditions")).addObject().put("type", "Denied").put("status", "True");
        ApiException both = failure(() -> approval(deny));
        assertThat(causes(both)).containsExactly("status.conditions: Invalid value: \"Denied\": Approved and Denied "
                + "conditions are mutually exclusive");
        ObjectNode undo = approved.deepCopy();
        ((ObjectNode) undo.path("status")).remove("conditions");
        ApiException removed = failure(() -> approval(undo));
        assertThat(causes(removed)).containsExactly(
                "status.conditions: Forbidden: updates may not remove a condition of type \"Approved\"");
    }

    /** A PUT to {@code approval}, as {@code kubectl certificate approve} sends it. */
    ObjectNode approval(ObjectNode csr) {
        ApiResponse r = call(ApiRequest.Verb.UPDATE, CSRS, null, Json.name(csr), "approval", null, csr, null);
        if (r.code() >= 400) {
            throw new ApiException((ObjectNode) r.body());
        }
        return (ObjectNode) r.body();
    }

    @Test
    void theSignerWritesTheCertificateThroughStatusKeepingTheApproval() {
        client.create(CSRS, null, csr("alice", OPENSSL_RSA_CSR));
        call(ApiRequest.Verb.PATCH, CSRS, null, "alice", "approval", null, json("{'status':{'conditions':[{"
                + "'type':'Approved','status':'True'}]}}"), "application/merge-patch+json");
        ObjectNode current = client.get(CSRS, null, "alice");
        ObjectNode issue = current.deepCopy();
        ((ObjectNode) issue.path("status")).put("certificate", base64(OPENSSL_CERTIFICATE));
        ((ObjectNode) issue.path("status").path("conditions").get(0)).put("reason", "Rewritten");

        ObjectNode issued = client.updateStatus(CSRS, issue);

        assertThat(issued.path("status").path("certificate").asText()).isEqualTo(base64(OPENSSL_CERTIFICATE));
        assertThat(issued.path("status").path("conditions").get(0).has("reason"))
                .as("an Approved condition is kept as stored by a status write").isFalse();
        ObjectNode garbage = issued.deepCopy();
        ((ObjectNode) garbage.path("status")).put("certificate", base64("not a certificate"));
        assertThat(causes(failure(() -> client.updateStatus(CSRS, garbage)))).contains(
                "status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE "
                        + "PEM block",
                "status.certificate: Forbidden: updates may not modify existing certificate content");
    }

    @Test
    void requestsAreSelectedBySignerNameAndDiscoveryShowsBothSubresources() {
        client.create(CSRS, null, csr("a", OPENSSL_RSA_CSR));
        ObjectNode other = csr("b", OPENSSL_RSA_CSR);
        ((ObjectNode) other.path("spec")).put("signerName", "example.com/other");
        client.create(CSRS, null, other);

        assertThat(namesSelectedBy(CSRS, null, "spec.signerName=example.com/other")).containsExactly("b");
        assertThat(texts(discovered("certificates.k8s.io", "certificatesigningrequests").path("shortNames")))
                .containsExactly("csr");
        assertThat(texts(discovered("certificates.k8s.io", "certificatesigningrequests/approval").path("verbs")))
                .containsExactly("get", "patch", "update");
        discovered("certificates.k8s.io", "certificatesigningrequests/status");
    }

    /** PKCS#10 requests made with the JDK's keys and a few lines of DER, to check the verification. */
    static final class Pkcs10 {

        static String request(String keyAlgorithm, String signatureAlgorithm, String signatureOid) throws Exception {
            return request(keyAlgorithm, signatureAlgorithm, signatureOid, false);
        }

        static String request(String keyAlgorithm, String signatureAlgorithm, String signatureOid, boolean forge)
                throws Exception {
            KeyPair keys = KeyPairGenerator.getInstance(keyAlgorithm).generateKeyPair();
            byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, concat(oid("2.5.4.3"),
                    tlv(0x0c, "bob".getBytes(StandardCharsets.UTF_8))))));
            byte[] info = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, name, keys.getPublic().getEncoded(),
                    new byte[] {(byte) 0xa0, 0x00}));
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(keys.getPrivate());
            signer.update(info);
            byte[] signature = signer.sign();
            if (forge) {
                info[info.length - 3] ^= 1; // the signed name changes after signing
            }
            byte[] request = tlv(0x30, concat(info, tlv(0x30, oid(signatureOid)),
                    tlv(0x03, concat(new byte[] {0}, signature))));
            return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(request) + "\n-----END CERTIFICATE REQUEST-----\n";
        }

        private static byte[] oid(String dotted) {
            String[] parts = dotted.split("\\.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
            for (int i = 2; i < parts.length; i++) {
                long v = Long.parseLong(parts[i]);
                int shift = 63 - Long.numberOfLeadingZeros(Math.max(v, 1));
                for (int s = shift / 7 * 7; s > 0; s -= 7) {
                    out.write((int) ((v >> s) & 0x7f) | 0x80);
                }
                out.write((int) (v & 0x7f));
            }
            return tlv(0x06, out.toByteArray());
        }

        private static byte[] tlv(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int len = content.length;
            if (len < 0x80) {
                out.write(len);
            } else if (len < 0x100) {
                out.write(0x81);
                out.write(len);
            } else {
                out.write(0x82);
                out.write(len >> 8);
                out.write(len & 0xff);
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }
    }
}
