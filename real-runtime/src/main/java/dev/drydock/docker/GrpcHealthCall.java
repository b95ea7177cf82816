package dev.drydock.docker;

import dev.drydock.runtime.RuntimeError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One call of gRPC's standard health check ({@code grpc.health.v1.Health/Check}) over HTTP/2 without TLS, with prior
 * knowledge (h2c), as the kubelet's grpc probe makes it: a pure core with no socket. {@link #request()} is what the
 * client sends first; each {@link #received} takes what came from the server and answers what to send back (a
 * SETTINGS or PING acknowledgement); once {@link #done()}, {@link #status()} is the serving status the server answered
 * ({@code SERVING}, {@code NOT_SERVING}, ...) or {@link #error()} the call's failure, a {@link RuntimeError} whose
 * reason is the gRPC code ({@code Unavailable} when no gRPC server answered, {@code Unimplemented} without a health
 * service, {@code NotFound} for a service the server does not know).
 */
final class GrpcHealthCall {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int STREAM = 1;
    /** The most a server's frames and answer may hold: a health answer is a few bytes. */
    private static final int MAX_BUFFERED = 1 << 20;
    /** gRPC's status codes by number, in grpc-go's words (as the probe's messages show them). */
    private static final String[] CODES = {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
        "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted",
        "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"};
    private static final String[] SERVING_STATUS = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private final String authority;
    private final String service;
    private final Hpack hpack = new Hpack();
    private byte[] buffer = new byte[0];
    private boolean sawSettings;
    private ByteArrayOutputStream headerBlock; // a HEADERS frame's block until its END_HEADERS
    private boolean headerBlockEndsStream;
    private boolean sawResponseHeaders;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private String status;
    private RuntimeError error;

    /**
     * @param authority the server's address, {@code host:port}, as {@code :authority}
     * @param service   the service whose health is asked; empty for the server's
     */
    GrpcHealthCall(String authority, String service) {
        this.authority = authority;
        this.service = service;
    }

    /** The connection's preface, the client's settings and the whole call (headers and its one message). */
    byte[] request() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFACE);
        frame(out, SETTINGS, 0, 0, new byte[] {0, 2, 0, 0, 0, 0}); // SETTINGS_ENABLE_PUSH = 0
        byte[] block = Hpack.encode(List.of(Map.entry(":method", "POST"), Map.entry(":scheme", "http"),
                Map.entry(":path", "/grpc.health.v1.Health/Check"), Map.entry(":authority", authority),
                Map.entry("content-type", "application/grpc"), Map.entry("te", "trailers"),
                Map.entry("user-agent", "kube-probe/1.32")));
        frame(out, HEADERS, END_HEADERS, STREAM, block);
        ByteArrayOutputStream request = new ByteArrayOutputStream(); // HealthCheckRequest { string service = 1; }
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0) {
            request.write(0x0a);
            varint(request, name.length);
            request.writeBytes(name);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(0); // not compressed
        int length = request.size();
        data.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
            (byte) length});
        data.writeBytes(request.toByteArray());
        frame(out, DATA, END_STREAM, STREAM, data.toByteArray());
        return out.toByteArray();
    }

    /** Whether the call has its outcome. */
    boolean done() {
        return status != null || error != null;
    }

    /** The serving status the server answered, or null. */
    String status() {
        return status;
    }

    /** Why the call failed, or null. */
    RuntimeError error() {
        return error;
    }

    /** The connection ended ({@code why}) before the call had its outcome: no gRPC server answered. */
    void ended(String why) {
        fail("Unavailable", "connection closed before the server answered: " + why);
    }

    /** Takes bytes from the server; returns what to send back (possibly nothing). */
    byte[] received(byte[] data) {
        if (done()) {
            return new byte[0];
        }
        if (buffer.length + data.length > MAX_BUFFERED) {
            fail("Unavailable", "the server sent more than " + MAX_BUFFERED + " bytes without answering");
            return new byte[0];
        }
        byte[] joined = java.util.Arrays.copyOf(buffer, buffer.length + data.length);
        System.arraycopy(data, 0, joined, buffer.length, data.length);
        buffer = joined;
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int at = 0;
        while (!done() && buffer.length - at >= 9) {
            int length = ((buffer[at] & 0xff) << 16) | ((buffer[at + 1] & 0xff) << 8) | (buffer[at + 2] & 0xff);
            int type = buffer[at + 3] & 0xff;
            int flags = buffer[at + 4] & 0xff;
            int stream = ((buffer[at + 5] & 0x7f) << 24) | ((buffer[at + 6] & 0xff) << 16)
                    | ((buffer[at + 7] & 0xff) << 8) | (buffer[at + 8] & 0xff);
            if (!sawSettings && (type != SETTINGS || length > MAX_BUFFERED)) {
                // an HTTP/1 server answering the preface, or anything else that does not speak HTTP/2
                fail("Unavailable", "the server does not speak HTTP/2 (its first bytes are not a SETTINGS frame)");
                break;
            }
            if (buffer.length - at - 9 < length) {
                break; // the rest of the frame is still on its way
            }
            byte[] payload = java.util.Arrays.copyOfRange(buffer, at + 9, at + 9 + length);
            at += 9 + length;
            try {
                frame(type, flags, stream, payload, reply);
            } catch (Hpack.HpackException | IndexOutOfBoundsException e) {
                fail("Internal", "malformed HTTP/2 frame from the server: " + e.getMessage());
            }
        }
        buffer = java.util.Arrays.copyOfRange(buffer, at, buffer.length);
        return reply.toByteArray();
    }

    private void frame(int type, int flags, int stream, byte[] payload, ByteArrayOutputStream reply) {
        if (headerBlock != null && type != CONTINUATION) {
            fail("Internal", "a header block was cut by a frame of type " + type);
            return;
        }
        switch (type) {
            case SETTINGS -> {
                sawSettings = true;
                if ((flags & ACK) == 0) {
                    frame(reply, SETTINGS, ACK, 0, new byte[0]);
                }
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    frame(reply, PING, ACK, 0, payload);
                }
            }
            case GOAWAY -> {
                int code = payload.length >= 8 ? ((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16)
                        | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff) : -1;
                fail("Unavailable", "the server closed the connection (GOAWAY, error code " + code + ")");
            }
            case RST_STREAM -> {
                if (stream == STREAM) {
                    int code = payload.length >= 4 ? ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16)
                            | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff) : -1;
                    // RST_STREAM's REFUSED_STREAM (7) is gRPC's Unavailable; any other reset its Internal
                    fail(code == 7 ? "Unavailable" : "Internal", "stream terminated by RST_STREAM with error code: "
                            + code);
                }
            }
            case HEADERS -> {
                if (stream != STREAM) {
                    return;
                }
                int from = 0;
                int to = payload.length;
                if ((flags & PADDED) != 0) {
                    to -= payload[0] & 0xff;
                    from++;
                }
                if ((flags & PRIORITY) != 0) {
                    from += 5;
                }
                headerBlock = new ByteArrayOutputStream();
                headerBlock.write(payload, from, to - from);
                headerBlockEndsStream = (flags & END_STREAM) != 0;
                if ((flags & END_HEADERS) != 0) {
                    headers();
                }
            }
            case CONTINUATION -> {
                if (headerBlock == null || stream != STREAM) {
                    fail("Internal", "a CONTINUATION frame without its HEADERS");
                    return;
                }
                headerBlock.writeBytes(payload);
                if ((flags & END_HEADERS) != 0) {
                    headers();
                }
            }
            case DATA -> {
                if (stream != STREAM) {
                    return;
                }
                int from = 0;
                int to = payload.length;
                if ((flags & PADDED) != 0) {
                    to -= payload[0] & 0xff;
                    from++;
                }
                message.write(payload, from, to - from);
                if ((flags & END_STREAM) != 0) {
                    fail("Internal", "server closed the stream without sending trailers");
                }
            }
            default -> {
                // WINDOW_UPDATE, PRIORITY, PUSH_PROMISE (refused by our settings) and unknown types: nothing to do
            }
        }
    }

    /** A whole header block of the call's stream: the response's headers, or its trailers. */
    private void headers() {
        List<Map.Entry<String, String>> fields = hpack.decode(headerBlock.toByteArray());
        headerBlock = null;
        Map<String, String> h = new java.util.HashMap<>();
        fields.forEach(f -> h.putIfAbsent(f.getKey(), f.getValue()));
        if (!sawResponseHeaders) {
            sawResponseHeaders = true;
            String httpStatus = h.getOrDefault(":status", "");
            if (!httpStatus.equals("200")) {
                fail(httpCode(httpStatus), "unexpected HTTP status code received from server: " + httpStatus);
                return;
            }
            String type = h.getOrDefault("content-type", "");
            if (!type.startsWith("application/grpc")) {
                fail("Unknown", "unexpected content-type \"" + type + "\"");
                return;
            }
        }
        if (!headerBlockEndsStream && !h.containsKey("grpc-status")) {
            return; // the response's headers: the message and the trailers come next
        }
        String code = h.get("grpc-status");
        if (code == null) {
            fail("Internal", "server closed the stream without sending trailers");
            return;
        }
        int n;
        try {
            n = Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            n = 2;
        }
        if (n != 0) {
            fail(n > 0 && n < CODES.length ? CODES[n] : "Unknown",
                    percentDecoded(h.getOrDefault("grpc-message", "")));
            return;
        }
        status = servingStatus(message.toByteArray());
    }

    /** The status of a HealthCheckResponse ({@code ServingStatus status = 1;}) in its gRPC message. */
    private String servingStatus(byte[] frame) {
        if (frame.length < 5) {
            fail("Internal", "the server's answer has no message");
            return null;
        }
        if (frame[0] != 0) {
            fail("Internal", "the server compressed its answer, which the probe did not accept");
            return null;
        }
        int length = ((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8)
                | (frame[4] & 0xff);
        if (length < 0 || length > frame.length - 5) {
            fail("Internal", "the server's answer is cut short");
            return null;
        }
        int[] at = {5};
        int end = 5 + length;
        long value = 0; // proto3: a status of 0 (UNKNOWN) is not written
        while (at[0] < end) {
            long key = varint(frame, at, end);
            int wire = (int) (key & 7);
            long field = key >>> 3;
            switch (wire) {
                case 0 -> {
                    long v = varint(frame, at, end);
                    if (field == 1) {
                        value = v;
                    }
                }
                case 1 -> at[0] += 8;
                case 2 -> {
                    long skip = varint(frame, at, end);
                    at[0] += (int) skip;
                }
                case 5 -> at[0] += 4;
                default -> {
                    fail("Internal", "the server's answer is not a HealthCheckResponse");
                    return null;
                }
            }
        }
        return value >= 0 && value < SERVING_STATUS.length ? SERVING_STATUS[(int) value] : Long.toString(value);
    }

    private static long varint(byte[] data, int[] at, int end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= end) {
                throw new IndexOutOfBoundsException("a varint runs past its message");
            }
            int b = data[at[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IndexOutOfBoundsException("a varint is too long");
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** gRPC over HTTP/2's mapping of an HTTP status to a gRPC code, for a response that is not gRPC's. */
    private static String httpCode(String status) {
        return switch (status) {
            case "400" -> "Internal";
            case "401" -> "Unauthenticated";
            case "403" -> "PermissionDenied";
            case "404" -> "Unimplemented";
            case "429", "502", "503", "504" -> "Unavailable";
            default -> "Unknown";
        };
    }

    /** grpc-message is percent-encoded UTF-8. */
    private static String percentDecoded(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                try {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // as it is
                }
            }
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void fail(String code, String message) {
        if (!done()) {
            error = new RuntimeError(code, message);
        }
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
        int length = payload.length;
        out.writeBytes(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type,
            (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.writeBytes(payload);
    }
}
