package dev.drydock.api.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rule's {@code fieldPath} ({@code .spec.x}, {@code ['a.b']}) as the dotted field path it names. */
final class DevCelRulesPaths {

    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\['((?:[^'\\\\]|\\\\.)*)'\\]");

    private DevCelRulesPaths() {
    }

    /** The normalized path, or {@code ""} if the path does not parse. */
    static String normalize(String jsonPath) {
        StringBuilder out = new StringBuilder();
        Matcher m = STEP.matcher(jsonPath);
        int at = 0;
        while (at < jsonPath.length()) {
            if (!m.find(at) || m.start() != at) {
                return "";
            }
            String name = m.group(1) != null ? m.group(1) : m.group(2).replaceAll("\\\\(.)", "$1");
            out.append(out.length() > 0 ? "." : "").append(name);
            at = m.end();
        }
        return out.toString();
    }
}
