package dev.drydock.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on the wire, as the cluster's client and the fake runtime's servers write and read it: requests and
 * responses with a {@code Content-Length} body (a response without one runs to the connection's end).
 */
public final class HttpCodec {

    /** The most a message's head may be. */
    public static final int MAX_HEAD = 64 * 1024;

    private HttpCodec() {
    }

    /** A request's bytes, for {@code host}, asking the server to close after answering. */
    public static byte[] request(ClusterHttp.Request request, String hostHeader, String path) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        request.headers().forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if (!lower.equals("host") && !lower.equals("content-length") && !lower.equals("connection")) {
                head.append(k).append(": ").append(v).append("\r\n");
            }
        });
        if (request.body().length > 0 || !request.method().equals("GET") && !request.method().equals("HEAD")) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), request.body());
    }

    /** A response's bytes. */
    public static byte[] response(ClusterHttp.Response response, String version, boolean close) {
        StringBuilder head = new StringBuilder();
        head.append(version).append(' ').append(response.status()).append(' ').append(reason(response.status()))
                .append("\r\n");
        response.headers().forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("connection")) {
                head.append(k).append(": ").append(v).append("\r\n");
            }
        });
        head.append("Content-Length: ").append(response.body().length).append("\r\n");
        head.append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n").append("\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), response.body());
    }

    /** The index of the blank line ending a head ({@code \r\n\r\n}), or -1. */
    public static int headEnd(byte[] b, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The header lines of a head (after its first line), by name as sent. */
    public static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /**
     * Reads a response from what a server sent: complete once its head and {@code Content-Length} body are there
     * (or, without a length, at the connection's end).
     */
    public static final class ResponseReader {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        /** Adds bytes; returns the response once complete, else null. */
        public ClusterHttp.Response add(byte[] data) {
            bytes.write(data, 0, data.length);
            return parse(false);
        }

        /** The connection ended: the response, if a whole one came. */
        public ClusterHttp.Response end() {
            return parse(true);
        }

        private ClusterHttp.Response parse(boolean atEnd) {
            byte[] b = bytes.toByteArray();
            int end = headEnd(b, b.length);
            if (end < 0) {
                return null;
            }
            String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
            String[] status = head.split("\r\n", 2)[0].split(" ", 3);
            int code;
            try {
                code = Integer.parseInt(status[1]);
            } catch (RuntimeException e) {
                throw new ClusterHttp.CallException("malformed HTTP response: " + head.split("\r\n", 2)[0]);
            }
            Map<String, String> headers = headers(head);
            String length = null;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("content-length")) {
                    length = h.getValue();
                }
            }
            int bodyStart = end + 4;
            int available = b.length - bodyStart;
            if (length != null) {
                int n = Integer.parseInt(length);
                if (available < n) {
                    return null;
                }
                byte[] body = new byte[n];
                System.arraycopy(b, bodyStart, body, 0, n);
                return new ClusterHttp.Response(code, headers, body);
            }
            if (!atEnd) {
                return null;
            }
            byte[] body = new byte[available];
            System.arraycopy(b, bodyStart, body, 0, available);
            return new ClusterHttp.Response(code, headers, body);
        }
    }

    public static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + code;
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
