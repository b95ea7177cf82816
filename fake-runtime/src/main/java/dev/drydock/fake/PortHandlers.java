package dev.drydock.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Ready-made {@link PortHandler}s: a TCP echo and a fixed HTTP responder. */
public final class PortHandlers {

    /** The most a request's head may be before the HTTP responder answers 431 and closes. */
    static final int MAX_REQUEST_HEAD = 64 * 1024;

    private PortHandlers() {
    }

    /** Sends every byte back as it came, until the client closes. */
    public static PortHandler echo() {
        return client -> client::send;
    }

    /**
     * Answers every HTTP/1.x request with {@code status} and {@code body}, keeping the connection open for the next
     * request unless the client asks to close it (as nginx does). Request bodies are read and ignored.
     */
    public static PortHandler http(int status, String contentType, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        return client -> new HttpConnection(client, status, contentType, content);
    }

    /** Reads requests (head, then a Content-Length body) and answers each. */
    private static final class HttpConnection implements PortHandler.Connection {
        private final PortHandler.Client client;
        private final int status;
        private final String contentType;
        private final byte[] body;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private long bodyLeft;
        private boolean closing;

        HttpConnection(PortHandler.Client client, int status, String contentType, byte[] body) {
            this.client = client;
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        public void data(byte[] bytes) {
            if (closing) {
                return;
            }
            int from = 0;
            if (bodyLeft > 0) {
                int skip = (int) Math.min(bodyLeft, bytes.length);
                bodyLeft -= skip;
                from = skip;
            }
            buffer.write(bytes, from, bytes.length - from);
            while (!closing && bodyLeft == 0) {
                byte[] pending = buffer.toByteArray();
                int end = headEnd(pending);
                if (end < 0) {
                    if (pending.length > MAX_REQUEST_HEAD) {
                        byte[] text = "Request Header Fields Too Large\n".getBytes(StandardCharsets.UTF_8);
                        answer(431, "text/plain", text, text.length, true, "HTTP/1.1");
                    }
                    return;
                }
                String head = new String(pending, 0, end, StandardCharsets.ISO_8859_1);
                buffer.reset();
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                String version = requestLine.length == 3 ? requestLine[2] : "HTTP/1.0";
                long length = 0;
                boolean close = version.equals("HTTP/1.0");
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim();
                    if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equals("connection")) {
                        close = value.equalsIgnoreCase("close") || close && !value.equalsIgnoreCase("keep-alive");
                    }
                }
                int rest = pending.length - end - 4;
                long take = Math.min(length, rest);
                bodyLeft = length - take;
                buffer.write(pending, (int) (end + 4 + take), (int) (rest - take));
                boolean headOnly = requestLine[0].equals("HEAD");
                answer(status, contentType, headOnly ? new byte[0] : body, body.length, close, version);
            }
        }

        private void answer(int code, String type, byte[] content, int length, boolean close, String version) {
            String head = version + " " + code + " " + reason(code) + "\r\n"
                    + "Server: nginx\r\n"
                    + "Content-Type: " + type + "\r\n"
                    + "Content-Length: " + length + "\r\n"
                    + (close ? "Connection: close\r\n" : "Connection: keep-alive\r\n")
                    + "\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + content.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(content, 0, all, h.length, content.length);
            client.send(all);
            if (close) {
                closing = true;
                client.close();
            }
        }

        private static int headEnd(byte[] b) {
            for (int i = 0; i + 3 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static String reason(int code) {
            return switch (code) {
                case 200 -> "OK";
                case 201 -> "Created";
                case 204 -> "No Content";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 431 -> "Request Header Fields Too Large";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status " + code;
            };
        }
    }
}
