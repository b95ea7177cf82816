package dev.drydock.api.schema;

/** Field paths written as kube's {@code field.Path}: {@code spec.items[0].ports[http]}. */
final class Paths {

    private Paths() {
    }

    static String child(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    static String key(String path, String key) {
        return (path == null ? "" : path) + "[" + key + "]";
    }

    static String index(String path, int i) {
        return (path == null ? "" : path) + "[" + i + "]";
    }

    /** How kube prints a nil path. */
    static String orNil(String path) {
        return path == null || path.isEmpty() ? "<nil>" : path;
    }
}
