package dev.drydock.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The requests {@code bench api} sends to one API server over one transport: pods created, read, listed, patched,
 * applied (server-side).
 * Each call checks the answer's status and fails on an error, so that a broken server never reads as a fast one.
 */
interface ApiTarget {

    /** The server, e.g. {@code drydock} or {@code mock}. */
    String server();

    /** {@code http} or {@code in_process}. */
    String transport();

    void createNamespace(String namespace) throws Exception;

    void createPod(String namespace, String name, int shard) throws Exception;

    /** Reads one pod; returns the size of the answer in bytes (0 in process). */
    int getPod(String namespace, String name) throws Exception;

    /** Lists the pods of a namespace, those matching {@code labelSelector} if not null; returns the answer's bytes. */
    int listPods(String namespace, String labelSelector) throws Exception;

    /** How many items that list holds (parsed: for checking the server, not for timing). */
    int countPods(String namespace, String labelSelector) throws Exception;

    /** A JSON merge patch of one annotation. */
    void patchPod(String namespace, String name, long value) throws Exception;

    /** A server-side apply of one annotation, as field manager {@code bench} (drydock only: the mock takes none). */
    void applyPod(String namespace, String name, long value) throws Exception;

    /** The pods the benchmark uses: one busybox container, labels {@code app=bench} and {@code shard=N}. */
    final class Pods {

        /**
         * Bound to a node that does not exist, so that in a whole cluster no scheduler or kubelet acts on them and
         * the store holds what was sent, with the server's own defaults.
         */
        static final String NODE = "bench-node";

        private Pods() {
        }

        static byte[] json(String namespace, String name, int shard) {
            return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                    + namespace + "\",\"labels\":{\"app\":\"bench\",\"shard\":\"" + shard + "\"}},\"spec\":{"
                    + "\"nodeName\":\"" + NODE + "\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\","
                    + "\"command\":[\"sleep\",\"3600\"],\"resources\":{\"requests\":{\"cpu\":\"100m\","
                    + "\"memory\":\"64Mi\"}}}]}}").getBytes(StandardCharsets.UTF_8);
        }

        static ObjectNode object(String namespace, String name, int shard) {
            return Json.parseTrusted(json(namespace, name, shard));
        }

        static String patch(long value) {
            return "{\"metadata\":{\"annotations\":{\"bench/patched\":\"" + value + "\"}}}";
        }

        /** An applied configuration: the pod's identity and one annotation. */
        static String applied(String namespace, String name, long value) {
            return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                    + namespace + "\",\"annotations\":{\"bench/applied\":\"" + value + "\"}}}";
        }
    }

    /** Raw JSON over {@code java.net.http}, HTTP/1.1: the same client, bytes and paths for every server. */
    final class Http implements ApiTarget {

        private final String server;
        private final String base;
        private final HttpClient client;

        Http(String server, String baseUrl) {
            this.server = server;
            this.base = baseUrl;
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        @Override
        public String server() {
            return server;
        }

        @Override
        public String transport() {
            return "http";
        }

        String baseUrl() {
            return base;
        }

        @Override
        public void createNamespace(String namespace) throws Exception {
            send("POST", "/api/v1/namespaces", ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{"
                    + "\"name\":\"" + namespace + "\"}}").getBytes(StandardCharsets.UTF_8), "application/json");
        }

        @Override
        public void createPod(String namespace, String name, int shard) throws Exception {
            send("POST", pods(namespace), Pods.json(namespace, name, shard), "application/json");
        }

        @Override
        public int getPod(String namespace, String name) throws Exception {
            return send("GET", pods(namespace) + "/" + name, null, null).length;
        }

        @Override
        public int listPods(String namespace, String labelSelector) throws Exception {
            return send("GET", list(namespace, labelSelector), null, null).length;
        }

        @Override
        public int countPods(String namespace, String labelSelector) throws Exception {
            return Json.parse(send("GET", list(namespace, labelSelector), null, null)).path("items").size();
        }

        @Override
        public void patchPod(String namespace, String name, long value) throws Exception {
            send("PATCH", pods(namespace) + "/" + name, Pods.patch(value).getBytes(StandardCharsets.UTF_8),
                    "application/merge-patch+json");
        }

        @Override
        public void applyPod(String namespace, String name, long value) throws Exception {
            send("PATCH", pods(namespace) + "/" + name + "?fieldManager=bench",
                    Pods.applied(namespace, name, value).getBytes(StandardCharsets.UTF_8),
                    "application/apply-patch+yaml");
        }

        /** Deletes every pod of a namespace ({@code deletecollection}), to start the next figure afresh. */
        void deletePods(String namespace) throws Exception {
            // Grace 0, as `kubectl delete --force` sends: no kubelet confirms here, and a pod bound to a node would
            // otherwise stay Terminating in drydock (as in kube) and pile up across windows.
            send("DELETE", pods(namespace) + "?gracePeriodSeconds=0", null, null);
        }

        private static String pods(String namespace) {
            return "/api/v1/namespaces/" + namespace + "/pods";
        }

        private static String list(String namespace, String labelSelector) {
            return pods(namespace) + (labelSelector == null ? ""
                    : "?labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8));
        }

        private byte[] send(String method, String path, byte[] body, String contentType) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                String text = new String(r.body(), StandardCharsets.UTF_8);
                throw new IllegalStateException(server + ": " + method + " " + path + " answered " + r.statusCode()
                        + ": " + text.substring(0, Math.min(300, text.length())));
            }
            return r.body();
        }
    }

    /** drydock's own client over its in-process transport: no sockets, no serialization. */
    final class InProcess implements ApiTarget {

        private final KubeClient client;

        InProcess(KubeClient client) {
            this.client = client;
        }

        KubeClient client() {
            return client;
        }

        @Override
        public String server() {
            return "drydock";
        }

        @Override
        public String transport() {
            return "in_process";
        }

        @Override
        public void createNamespace(String namespace) {
            ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            Json.with(ns, "metadata").put("name", namespace);
            client.create(Resource.NAMESPACES, null, ns);
        }

        @Override
        public void createPod(String namespace, String name, int shard) {
            client.create(Resource.PODS, namespace, Pods.object(namespace, name, shard));
        }

        @Override
        public int getPod(String namespace, String name) {
            client.get(Resource.PODS, namespace, name);
            return 0;
        }

        @Override
        public int listPods(String namespace, String labelSelector) {
            client.list(Resource.PODS, namespace, labelSelector == null ? Map.of()
                    : Map.of("labelSelector", labelSelector));
            return 0;
        }

        @Override
        public int countPods(String namespace, String labelSelector) {
            JsonNode list = client.list(Resource.PODS, namespace, labelSelector == null ? Map.of()
                    : Map.of("labelSelector", labelSelector));
            return list.path("items").size();
        }

        @Override
        public void patchPod(String namespace, String name, long value) {
            client.mergePatch(Resource.PODS, namespace, name, null,
                    Json.parseTrusted(Pods.patch(value).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void applyPod(String namespace, String name, long value) {
            client.apply(Resource.PODS, namespace, name,
                    Json.parseTrusted(Pods.applied(namespace, name, value).getBytes(StandardCharsets.UTF_8)),
                    "bench", false);
        }
    }
}
