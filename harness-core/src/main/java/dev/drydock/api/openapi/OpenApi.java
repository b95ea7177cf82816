package dev.drydock.api.openapi;

import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver's OpenAPI endpoints, independent of the HTTP server: {@code /openapi/v3} (the index of group
 * versions, each with a {@code ?hash=} of its document), {@code /openapi/v3/api/v1} and
 * {@code /openapi/v3/apis/<group>/<version>}, and {@code /openapi/v2} in JSON. The documents describe the kinds the
 * server serves at the moment of the request, custom resources included, and are rebuilt only when those change.
 *
 * <p>As kube does, a document asked for with its current hash is answered as immutable (cacheable for a year), an old
 * hash is redirected to the current one, and every answer carries an {@code ETag} that {@code If-None-Match} can
 * match. {@code /openapi/v2} is also served as protobuf, the form kubectl asks for when the v3 documents do not answer
 * its question (a kind the server does not serve, {@code explain --output=plaintext-openapiv2}); the v3 documents are
 * JSON only, so a request that accepts only their protobuf form gets 406.
 */
public final class OpenApi {

    private static final Logger LOG = LoggerFactory.getLogger(OpenApi.class);
    private static final String JSON = "application/json";
    private static final String PREFIX_V3 = "/openapi/v3";

    /**
     * An answer to give over HTTP.
     *
     * @param headers response headers, {@code Content-Type} included
     * @param body    the bytes to send (empty for 304 and 301)
     */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private record Doc(byte[] bytes, String hash) {
    }

    /** The documents of one set of served kinds, each built when first asked for. */
    private static final class Snapshot {
        final List<ServedKind> kinds;
        final Map<String, List<ServedKind>> byGroupVersion = new TreeMap<>();
        final Map<String, Doc> docs = new ConcurrentHashMap<>();
        volatile Doc index;
        volatile Doc v2;
        volatile Doc v2Protobuf;

        Snapshot(List<ServedKind> kinds) {
            this.kinds = kinds;
            for (ServedKind k : kinds) {
                byGroupVersion.computeIfAbsent(k.groupVersionPath(), gv -> new ArrayList<>()).add(k);
            }
        }
    }

    private final Supplier<? extends Collection<ServedKind>> kinds;
    private Snapshot snapshot = new Snapshot(List.of());

    /** @param kinds the kinds served, asked at each request (the registry changes at runtime) */
    public OpenApi(Supplier<? extends Collection<ServedKind>> kinds) {
        this.kinds = kinds;
    }

    /**
     * Answers a GET of {@code rawPath} (which starts with {@code /openapi/}).
     *
     * @param rawQuery    the query string, or null
     * @param accept      the {@code Accept} header, or null
     * @param ifNoneMatch the {@code If-None-Match} header, or null
     */
    public Reply serve(String rawPath, String rawQuery, String accept, String ifNoneMatch) {
        String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (path.equals("/openapi/v2")) {
            String type = preferredV2(accept);
            if (type == null) {
                return notAcceptable();
            }
            Snapshot s = current();
            if (s.v2 == null) {
                s.v2 = doc(Json.bytes(Documents.v2(s.kinds)));
            }
            if (type.equals(JSON)) {
                return ok(s.v2, ifNoneMatch, false, JSON);
            }
            if (s.v2Protobuf == null) {
                s.v2Protobuf = doc(V2Protobuf.encode(Json.parseTrusted(s.v2.bytes())));
            }
            return ok(s.v2Protobuf, ifNoneMatch, false, V2Protobuf.MEDIA_TYPE);
        }
        if (path.equals(PREFIX_V3)) {
            Snapshot s = current();
            if (s.index == null) {
                s.index = index(s);
            }
            return ok(s.index, ifNoneMatch, false, JSON);
        }
        if (path.startsWith(PREFIX_V3 + "/")) {
            String gv = path.substring(PREFIX_V3.length() + 1);
            Snapshot s = current();
            if (!s.byGroupVersion.containsKey(gv)) {
                return status(404, "NotFound", "the server could not find the requested resource");
            }
            if (!acceptsJson(accept)) {
                return notAcceptable();
            }
            Doc doc = groupVersion(s, gv);
            String hash = param(rawQuery, "hash");
            if (hash != null && !hash.equals(doc.hash())) {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Location", serverRelativeUrl(gv, doc.hash()));
                headers.put("Content-Type", "text/html; charset=utf-8");
                return new Reply(301, headers, new byte[0]);
            }
            return ok(doc, ifNoneMatch, hash != null, JSON);
        }
        return status(404, "NotFound", "the server could not find the requested resource");
    }

    /** The kinds served now, with the documents already built for them if they have not changed. */
    private synchronized Snapshot current() {
        List<ServedKind> now = List.copyOf(kinds.get());
        if (!now.equals(snapshot.kinds)) {
            Snapshot previous = snapshot;
            Snapshot next = new Snapshot(now);
            for (Map.Entry<String, List<ServedKind>> gv : next.byGroupVersion.entrySet()) {
                Doc built = previous.docs.get(gv.getKey());
                if (built != null && gv.getValue().equals(previous.byGroupVersion.get(gv.getKey()))) {
                    next.docs.put(gv.getKey(), built);
                }
            }
            snapshot = next;
        }
        return snapshot;
    }

    private static Doc groupVersion(Snapshot s, String gv) {
        return s.docs.computeIfAbsent(gv, key -> {
            long start = System.nanoTime();
            Doc d = doc(Json.bytes(Documents.v3(s.byGroupVersion.get(key))));
            LOG.debug("built the OpenAPI v3 document of {} ({} bytes) in {} ms", key, d.bytes().length,
                    (System.nanoTime() - start) / 1_000_000);
            return d;
        });
    }

    private static Doc index(Snapshot s) {
        var index = Json.object();
        var paths = index.putObject("paths");
        for (String gv : s.byGroupVersion.keySet()) {
            paths.putObject(gv).put("serverRelativeURL", serverRelativeUrl(gv, groupVersion(s, gv).hash()));
        }
        return doc(Json.bytes(index));
    }

    private static String serverRelativeUrl(String gv, String hash) {
        return PREFIX_V3 + "/" + gv + "?hash=" + hash;
    }

    private static Reply ok(Doc doc, String ifNoneMatch, boolean immutable, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        String etag = "\"" + doc.hash() + "\"";
        headers.put("ETag", etag);
        headers.put("Content-Type", contentType);
        if (immutable) {
            // the hash names this content: clients may keep it (kube says for a year)
            headers.put("Vary", "Accept");
            headers.put("Cache-Control", "public, immutable");
            headers.put("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));
        }
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
            return new Reply(304, headers, new byte[0]);
        }
        return new Reply(200, headers, doc.bytes());
    }

    private static Doc doc(byte[] bytes) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-512").digest(bytes);
            return new Doc(bytes, HexFormat.of().withUpperCase().formatHex(sha));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }

    /** Whether {@code accept} admits JSON (no header admits anything). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].trim().toLowerCase();
            if (type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    /** JSON or the protobuf media type, whichever {@code accept} names first; null if neither. */
    static String preferredV2(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].trim().toLowerCase();
            if (type.equals(V2Protobuf.MEDIA_TYPE) || type.equals(V2Protobuf.MEDIA_TYPE_DEPRECATED)) {
                return V2Protobuf.MEDIA_TYPE;
            }
            if (type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) {
                return JSON;
            }
        }
        return null;
    }

    private static Reply notAcceptable() {
        return status(406, "NotAcceptable", "only the following media types are accepted: " + JSON);
    }

    private static Reply status(int code, String reason, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON);
        return new Reply(code, headers, Json.bytes(ApiException.status(code, reason, message, null)));
    }

    private static String param(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
