package dev.drydock.fake;

import dev.drydock.runtime.ClusterHttp;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code busybox httpd -f -p [IP:]PORT -h DIR} as manifests run it (the container's command, in the foreground): an
 * HTTP server on {@code PORT} (80 without {@code -p}) serving the files under {@code DIR} (the working directory, {@code
 * /}, without {@code -h}) that the container's volumes hold (an emptyDir the container wrote, a ConfigMap): a GET or
 * HEAD of a file is a 200 with it, of a directory its {@code index.html}, anything else busybox's own 404 page.
 */
final class BusyboxHttpd {

    static final String NOT_FOUND = "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n"
            + "<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n";

    private BusyboxHttpd() {
    }

    /**
     * The words of the command that may run httpd: the container's command line, or the httpd command of its {@code sh
     * -c} line (e.g. {@code sh -c 'echo ok > /www/index.html && httpd -f -p 8080 -h /www'}), which then serves from
     * the container's start.
     */
    private static List<String> command(List<String> argv) {
        if (argv.size() == 3 && argv.get(0).endsWith("sh") && argv.get(1).equals("-c")) {
            List<String> words = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("&&|\\|\\||;|&|[^\\s;&|]+")
                    .matcher(argv.get(2));
            while (m.find()) {
                words.add(m.group());
            }
            int httpd = words.indexOf("httpd");
            if (httpd > 0 && words.get(httpd - 1).endsWith("busybox")) {
                httpd--;
            }
            return httpd < 0 ? List.of() : words.subList(httpd, words.size());
        }
        return argv;
    }

    /** The server of {@code port} if the container's command runs httpd on it, else null. */
    static PortHandler port(int port, PodContext pod) {
        List<String> argv = command(pod.argv());
        int httpd = argv.indexOf("httpd");
        if (httpd < 0 || httpd > 1 || httpd == 1 && !argv.get(0).endsWith("busybox")) {
            return null;
        }
        int listen = 80;
        String home = "/";
        for (int i = httpd + 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals(";") || a.equals("&&") || a.equals("||") || a.equals("&")) {
                break; // the end of httpd's command in a shell line
            }
            String value = a.equals("-p") && i + 1 < argv.size() ? argv.get(i + 1)
                    : a.startsWith("-p") && a.length() > 2 ? a.substring(2) : null;
            if (value != null) {
                try {
                    listen = Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
                } catch (NumberFormatException e) {
                    return null; // busybox refuses it and exits: nothing listens
                }
            }
            if (a.equals("-h") && i + 1 < argv.size()) {
                home = argv.get(i + 1);
            }
        }
        if (listen != port) {
            return null;
        }
        String root = home.endsWith("/") ? home : home + "/";
        ClusterHttp.Response notFound = new ClusterHttp.Response(404,
                PortHandlers.headers("Content-Type", "text/html"), NOT_FOUND.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        return PortHandlers.http(request -> {
            String path = request.path();
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            String relative = path.startsWith("/") ? path.substring(1) : path;
            if (relative.contains("..")) {
                return CompletableFuture.completedFuture(notFound);
            }
            byte[] body = relative.isEmpty() || relative.endsWith("/") ? pod.file(root + relative + "index.html")
                    : pod.file(root + relative);
            if (body == null && !relative.isEmpty() && !relative.endsWith("/")) {
                body = pod.file(root + relative + "/index.html");
            }
            if (body == null) {
                return CompletableFuture.completedFuture(notFound);
            }
            String type = relative.endsWith(".html") || relative.isEmpty() || relative.endsWith("/")
                    || !relative.contains(".") ? "text/html" : "application/octet-stream";
            return CompletableFuture.completedFuture(new ClusterHttp.Response(200,
                    PortHandlers.headers("Content-Type", type), body));
        });
    }
}
