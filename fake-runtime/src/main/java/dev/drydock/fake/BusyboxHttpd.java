package dev.drydock.fake;

import dev.drydock.runtime.ClusterHttp;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code busybox httpd -f -p [IP:]PORT -h DIR} as manifests run it (the container's command, in the foreground): an
 * HTTP server on {@code PORT} (80 without {@code -p}). The fake runtime has no files yet, so it serves none: every
 * path gets busybox's own 404 page, which is enough for a Service, a tcpSocket probe or a connection test.
 */
final class BusyboxHttpd {

    static final String NOT_FOUND = "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n"
            + "<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

    private BusyboxHttpd() {
    }

    /** The server of {@code port} if {@code argv} runs httpd on it, else null. */
    static PortHandler port(int port, List<String> argv) {
        int httpd = argv.indexOf("httpd");
        if (httpd < 0 || httpd > 1 || httpd == 1 && !argv.get(0).endsWith("busybox")) {
            return null;
        }
        int listen = 80;
        for (int i = httpd + 1; i < argv.size(); i++) {
            String a = argv.get(i);
            String value = a.equals("-p") && i + 1 < argv.size() ? argv.get(i + 1)
                    : a.startsWith("-p") && a.length() > 2 ? a.substring(2) : null;
            if (value != null) {
                try {
                    listen = Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
                } catch (NumberFormatException e) {
                    return null; // busybox refuses it and exits: nothing listens
                }
            }
        }
        if (listen != port) {
            return null;
        }
        ClusterHttp.Response notFound = new ClusterHttp.Response(404,
                PortHandlers.headers("Content-Type", "text/html"), NOT_FOUND.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        return PortHandlers.http(request -> CompletableFuture.completedFuture(notFound));
    }
}
