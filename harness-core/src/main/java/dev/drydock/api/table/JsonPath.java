package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple JSONPath of kube's printer columns ({@code .status.conditions[?(@.type=="Ready")].status}): field
 * steps, {@code ['quoted.key']}, an index, {@code [*]}, and an equality filter on a field of each element.
 */
public final class JsonPath {

    private interface Step {
        void apply(JsonNode in, List<JsonNode> out);
    }

    private final List<Step> steps;

    private JsonPath(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Parses a path, with or without kube's braces ({@code {.spec.x}}).
     *
     * @throws IllegalArgumentException with the reason, for a path this subset cannot read
     */
    public static JsonPath parse(String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1).trim();
        }
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                String field = p.substring(i + 1, end);
                if (field.isEmpty()) {
                    throw new IllegalArgumentException("empty field name in " + path);
                }
                steps.add(field(field));
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (p.startsWith("[?(", i)) {
                    end = p.indexOf(")]", i) + 1;
                }
                if (end <= i) {
                    throw new IllegalArgumentException("unclosed [ in " + path);
                }
                steps.add(bracket(p.substring(i + 1, end), path));
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in " + path);
            }
        }
        return new JsonPath(steps);
    }

    /** The values the path reaches in {@code root}, in order; empty when it reaches none. */
    public List<JsonNode> find(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step s : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                s.apply(n, next);
            }
            current = next;
        }
        return current;
    }

    private static Step field(String name) {
        return (in, out) -> {
            JsonNode v = in.get(name);
            if (v != null) {
                out.add(v);
            }
        };
    }

    private static Step bracket(String inner, String path) {
        String s = inner.trim();
        if (s.equals("*")) {
            return (in, out) -> in.forEach(out::add);
        }
        if ((s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\"")) && s.length() >= 2) {
            return field(s.substring(1, s.length() - 1));
        }
        if (s.startsWith("?(") && s.endsWith(")")) {
            return filter(s.substring(2, s.length() - 1).trim(), path);
        }
        try {
            int index = Integer.parseInt(s);
            return (in, out) -> {
                if (in.isArray()) {
                    int at = index < 0 ? in.size() + index : index;
                    if (at >= 0 && at < in.size()) {
                        out.add(in.get(at));
                    }
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported [" + inner + "] in " + path);
        }
    }

    /** {@code @.type=="Ready"} or {@code @.type!='Ready'}: keeps the array elements whose field compares so. */
    private static Step filter(String expr, String path) {
        boolean negate = expr.contains("!=");
        String[] sides = expr.split(negate ? "!=" : "==", 2);
        if (sides.length != 2 || !sides[0].trim().startsWith("@")) {
            throw new IllegalArgumentException("unsupported filter " + expr + " in " + path);
        }
        JsonPath left = parse(sides[0].trim().substring(1));
        String right = sides[1].trim();
        String literal = right.length() >= 2 && (right.startsWith("\"") || right.startsWith("'"))
                ? right.substring(1, right.length() - 1) : right;
        return (in, out) -> {
            if (!in.isArray()) {
                return;
            }
            for (JsonNode e : in) {
                List<JsonNode> v = left.find(e);
                boolean equal = !v.isEmpty() && v.get(0).isValueNode() && v.get(0).asText().equals(literal);
                if (equal != negate) {
                    out.add(e);
                }
            }
        };
    }
}
