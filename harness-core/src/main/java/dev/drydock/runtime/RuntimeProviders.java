package dev.drydock.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Picks a runtime among those on the class path, and says which module to add when the one asked for is missing. */
final class RuntimeProviders {

    /** Each runtime drydock knows of, and the module that provides it. */
    static final Map<String, String> KNOWN = known();

    private RuntimeProviders() {
    }

    private static Map<String, String> known() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fake", "dev.drydock:fake-runtime");
        m.put("docker", "dev.drydock:real-runtime");
        return m;
    }

    static RuntimeProvider find(String name, List<RuntimeProvider> onClassPath) {
        String wanted = name == null ? "fake" : name;
        for (RuntimeProvider p : onClassPath) {
            if (p.name().equals(wanted)) {
                return p;
            }
        }
        if (name == null && onClassPath.size() == 1) {
            return onClassPath.get(0);
        }
        List<String> found = onClassPath.stream().map(RuntimeProvider::name).toList();
        String module = KNOWN.get(wanted);
        if (module != null) {
            throw new IllegalStateException("no container runtime named '" + wanted + "' on the class path: it is "
                    + "provided by " + module + "; add that as a (test) dependency"
                    + (name == null ? " for the default runtime" : "") + ". Runtimes on the class path: " + found);
        }
        throw new IllegalStateException("no container runtime named '" + wanted + "'. The known runtimes are "
                + KNOWN.entrySet().stream().map(e -> "'" + e.getKey() + "' (provided by " + e.getValue() + ")")
                        .collect(Collectors.joining(", "))
                + ". Runtimes on the class path: " + found);
    }
}
