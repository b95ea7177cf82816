package dev.drydock.api.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decodes request bodies sent as Kubernetes protobuf ({@value #CONTENT_TYPE}), which is what
 * kubectl and other client-go programs use for typed create/update calls, into the JSON object
 * kube-apiserver would see, so the rest of drydock only ever deals with JSON.
 *
 * <p>The body is the magic {@code k8s\0} followed by a {@code runtime.Unknown} message whose
 * typeMeta names the kind and whose raw bytes are the typed object. Only the kinds and fields in
 * drydock's table are decoded; anything else fails with {@link UnsupportedProtobufException}
 * rather than being dropped. Thread-safe and stateless.
 */
public final class ProtobufDecoder {

    /** The media type of Kubernetes protobuf bodies. */
    public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String UNKNOWN = "io.k8s.apimachinery.pkg.runtime.Unknown";
    private static final String TYPE_META = "io.k8s.apimachinery.pkg.runtime.TypeMeta";

    private ProtobufDecoder() {
    }

    /**
     * Decodes a k8s protobuf body into the object's JSON (with apiVersion and kind set from the
     * Unknown's typeMeta).
     *
     * @param body the complete request body, starting with the magic bytes
     * @return a new JSON object: {@code kind}, {@code apiVersion}, then the object's own fields
     * @throws UnsupportedProtobufException if the body is not Kubernetes protobuf, is truncated or
     *                                      malformed, or holds a kind or field drydock does not decode
     */
    public static ObjectNode decode(byte[] body) throws UnsupportedProtobufException {
        return decode(body, "", "");
    }

    /**
     * Decodes a k8s protobuf body as {@link #decode(byte[])} does, taking the kind and apiVersion the envelope's
     * typeMeta leaves out from the request's path, as kube's protobuf serializer does ({@code copyKindDefaults}).
     * Whether the body's kind suits the path is for the API server to check.
     *
     * @param defaultApiVersion the apiVersion the path serves, e.g. {@code apps/v1}
     * @param defaultKind       the kind the path serves, e.g. {@code Deployment}
     */
    public static ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind)
            throws UnsupportedProtobufException {
        if (body == null || body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1]
                || body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
            throw new UnsupportedProtobufException(
                    "request body is not Kubernetes protobuf: it does not start with the magic bytes \"k8s\\0\"");
        }
        WireFields unknown = WireFields.parse(body, MAGIC.length, body.length - MAGIC.length, UNKNOWN);
        only(unknown, UNKNOWN, 1, 2, 3, 4);

        WireFields typeMeta = WireFields.parse(lastBytes(unknown, 1, UNKNOWN), TYPE_META);
        only(typeMeta, TYPE_META, 1, 2);
        String apiVersion = lastString(typeMeta, 1, TYPE_META);
        String kind = lastString(typeMeta, 2, TYPE_META);
        if (kind.isEmpty()) {
            kind = defaultKind;
        }
        // kube takes group and version from the default when the typeMeta has no version it can read ("", "apps/",
        // or "a/b/c", which does not parse).
        int slash = apiVersion.indexOf('/');
        if (apiVersion.isEmpty() || slash == apiVersion.length() - 1
                || slash >= 0 && apiVersion.indexOf('/', slash + 1) >= 0) {
            apiVersion = defaultApiVersion;
        }
        String contentEncoding = lastString(unknown, 3, UNKNOWN);
        String contentType = lastString(unknown, 4, UNKNOWN);
        if (!contentEncoding.isEmpty()) {
            throw new UnsupportedProtobufException("protobuf content encoding '" + contentEncoding
                    + "' is not supported by drydock; send JSON instead");
        }
        // An empty contentType means "protobuf", as in kube's own serializer.
        if (!contentType.isEmpty() && !contentType.equals(CONTENT_TYPE)) {
            throw new UnsupportedProtobufException("protobuf envelope with raw content type '" + contentType
                    + "' is not supported by drydock; send JSON instead");
        }
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new UnsupportedProtobufException("protobuf body has no apiVersion/kind in its typeMeta");
        }

        Schema schema = Schema.get();
        MessageSpec root = schema.root(apiVersion, kind);
        if (root == null) {
            Set<String> supported = new TreeSet<>(schema.rootKinds());
            throw new UnsupportedProtobufException("kind " + kind + " (" + apiVersion + ") is not supported in protobuf"
                    + " by drydock; send JSON instead (supported: " + String.join(", ", supported) + ")");
        }
        ObjectNode object = new JsonRenderer(schema).message(root, lastBytes(unknown, 2, UNKNOWN), "");
        // kube's typed JSON starts with the inlined TypeMeta: kind, then apiVersion.
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.setAll(object);
        return out;
    }

    private static void only(WireFields fields, String message, int... allowed) throws UnsupportedProtobufException {
        outer:
        for (int n : fields.numbers()) {
            for (int a : allowed) {
                if (a == n) {
                    continue outer;
                }
            }
            throw new UnsupportedProtobufException(
                    "protobuf field " + n + " of message " + message + " is not supported by drydock; send JSON instead");
        }
    }

    private static byte[] lastBytes(WireFields fields, int number, String message) throws UnsupportedProtobufException {
        List<WireValue> values = fields.get(number);
        if (values.isEmpty()) {
            return new byte[0];
        }
        WireValue v = values.get(values.size() - 1);
        if (v.wireType() != WireReader.LEN) {
            throw KubeValues.wrongWireType(number, message, "envelope", v.wireType(), WireReader.LEN);
        }
        return v.bytes();
    }

    private static String lastString(WireFields fields, int number, String message) throws UnsupportedProtobufException {
        return new String(lastBytes(fields, number, message), StandardCharsets.UTF_8);
    }
}
