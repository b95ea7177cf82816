package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.Program;
import dev.drydock.api.FieldError;
import dev.drydock.kube.Semantic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code x-kubernetes-validations} on Google's CEL for Java, as apiextensions' CEL validator evaluates them:
 * {@code self} is the value at the rule's node, {@code oldSelf} its value before an update (rules using it are
 * transition rules, skipped on create unless {@code optionalOldSelf}), failures are reported with the rule's
 * {@code message}, {@code messageExpression}, {@code reason} and {@code fieldPath}. The environment has CEL's standard
 * macros and functions, the strings, sets, math, lists and optional extensions, and kube's list ({@code isSorted},
 * {@code sum}, {@code min}, {@code max}, {@code indexOf}, {@code lastIndexOf}) and regex ({@code find},
 * {@code findAll}) functions. Values are typed dynamically, so a rule that kube would refuse at type-checking may
 * instead fail when evaluated.
 */
final class DevCelRules implements CelRules {

    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Cel CEL = environment();

    private record Compiled(Schema.Rule rule, Program program, Program message, boolean usesOldSelf,
                            String fieldPath, String compileError, String relPath, int index) {
    }

    private final Schema root;
    private final Map<Schema, List<Compiled>> rules = new IdentityHashMap<>();
    private final List<Compiled> all = new ArrayList<>();

    DevCelRules(Schema root) {
        this.root = root;
        compileAll(root, "");
    }

    private static Cel environment() {
        CelOptions options = CelOptions.current().build();
        TypeParamType t = TypeParamType.create("T");
        ListType listOfT = ListType.create(t);
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("self", SimpleType.DYN)
                .addVar("oldSelf", SimpleType.DYN)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(options),
                        CelExtensions.math(options), CelExtensions.lists())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(options),
                        CelExtensions.math(options), CelExtensions.lists())
                .addFunctionDeclarations(
                        CelFunctionDecl.newFunctionDeclaration("isSorted",
                                CelOverloadDecl.newMemberOverload("kube_list_is_sorted", SimpleType.BOOL, listOfT)),
                        CelFunctionDecl.newFunctionDeclaration("sum",
                                CelOverloadDecl.newMemberOverload("kube_list_sum", t, listOfT)),
                        CelFunctionDecl.newFunctionDeclaration("min",
                                CelOverloadDecl.newMemberOverload("kube_list_min", t, listOfT)),
                        CelFunctionDecl.newFunctionDeclaration("max",
                                CelOverloadDecl.newMemberOverload("kube_list_max", t, listOfT)),
                        CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
                                CelOverloadDecl.newMemberOverload("kube_list_last_index_of", SimpleType.INT, listOfT, t)),
                        CelFunctionDecl.newFunctionDeclaration("find",
                                CelOverloadDecl.newMemberOverload("kube_string_find", SimpleType.STRING,
                                        SimpleType.STRING, SimpleType.STRING)),
                        CelFunctionDecl.newFunctionDeclaration("findAll",
                                CelOverloadDecl.newMemberOverload("kube_string_find_all", ListType.create(
                                        SimpleType.STRING), SimpleType.STRING, SimpleType.STRING),
                                CelOverloadDecl.newMemberOverload("kube_string_find_all_n", ListType.create(
                                        SimpleType.STRING), SimpleType.STRING, SimpleType.STRING, SimpleType.INT)))
                .addFunctionBindings(
                        CelFunctionBinding.from("kube_list_is_sorted", List.class, DevCelRules::isSorted),
                        CelFunctionBinding.from("kube_list_sum", List.class, DevCelRules::sum),
                        CelFunctionBinding.from("kube_list_min", List.class, l -> extreme(l, -1, "min")),
                        CelFunctionBinding.from("kube_list_max", List.class, l -> extreme(l, 1, "max")),
                        CelFunctionBinding.from("kube_list_last_index_of", List.class, Object.class,
                                (l, x) -> (long) lastIndexOf(l, x)),
                        CelFunctionBinding.from("kube_string_find", String.class, String.class, DevCelRules::find),
                        CelFunctionBinding.from("kube_string_find_all", String.class, String.class,
                                (s, re) -> findAll(s, re, -1)),
                        CelFunctionBinding.from("kube_string_find_all_n", List.of(String.class, String.class,
                                Long.class), args -> findAll((String) args[0], (String) args[1], (Long) args[2])))
                .build();
    }

    private void compileAll(Schema s, String path) {
        if (s == null) {
            return;
        }
        List<Compiled> here = new ArrayList<>();
        for (int i = 0; i < s.validations.size(); i++) {
            Compiled c = compile(s.validations.get(i), path, i);
            here.add(c);
            all.add(c);
        }
        if (!here.isEmpty()) {
            rules.put(s, here);
        }
        if (s.properties != null) {
            s.properties.forEach((k, p) -> compileAll(p, Paths.key(Paths.child(path, "properties"), k)));
        }
        compileAll(s.additionalProperties, Paths.child(path, "additionalProperties"));
        compileAll(s.items, Paths.child(path, "items"));
        for (int i = 0; i < s.allOf.size(); i++) {
            compileAll(s.allOf.get(i), Paths.index(Paths.child(path, "allOf"), i));
        }
    }

    private static Compiled compile(Schema.Rule rule, String path, int index) {
        boolean usesOldSelf = OLD_SELF.matcher(rule.rule()).find();
        String fieldPath = rule.hasFieldPath() ? DevCelRulesPaths.normalize(rule.fieldPath()) : null;
        try {
            CelValidationResult r = CEL.compile(rule.rule());
            if (r.hasError()) {
                return new Compiled(rule, null, null, usesOldSelf, fieldPath, "compilation failed: "
                        + r.getErrorString(), path, index);
            }
            Program program = CEL.createProgram(r.getAst());
            Program message = null;
            if (!rule.messageExpression().isBlank()) {
                CelValidationResult m = CEL.compile(rule.messageExpression());
                if (m.hasError()) {
                    return new Compiled(rule, program, null, usesOldSelf, fieldPath,
                            "messageExpression compilation failed: " + m.getErrorString(), path, index);
                }
                message = CEL.createProgram(m.getAst());
            }
            return new Compiled(rule, program, message, usesOldSelf, fieldPath, null, path, index);
        } catch (Exception e) {
            return new Compiled(rule, null, null, usesOldSelf, fieldPath, "compilation failed: " + e.getMessage(),
                    path, index);
        }
    }

    @Override
    public List<FieldError> compileErrors(String schemaPath) {
        List<FieldError> errors = new ArrayList<>();
        for (Compiled c : all) {
            if (c.compileError != null) {
                String at = Paths.index(Paths.child(Paths.child(schemaPath, c.relPath).replaceAll("\\.$", ""),
                        "x-kubernetes-validations"), c.index);
                String field = c.compileError.startsWith("messageExpression") ? "messageExpression" : "rule";
                errors.add(FieldError.invalid(Paths.child(at, field), c.rule.rule(), c.compileError));
            }
        }
        return errors;
    }

    @Override
    public List<FieldError> validate(JsonNode value, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        walk(null, root, value, old, errors);
        return errors;
    }

    private void walk(String path, Schema s, JsonNode v, JsonNode old, List<FieldError> errors) {
        if (s == null || v == null || v.isNull()) {
            return;
        }
        JsonNode oldValue = old == null || old.isNull() ? null : old;
        evaluate(path, s, v, oldValue, errors);
        for (Schema allOf : s.allOf) {
            walk(path, allOf, v, oldValue, errors);
        }
        if (v.isObject()) {
            v.properties().forEach(e -> {
                Schema p = s.property(e.getKey());
                JsonNode o = oldValue != null && oldValue.isObject() ? oldValue.get(e.getKey()) : null;
                if (p != null) {
                    walk(Paths.child(path, e.getKey()), p, e.getValue(), o, errors);
                } else if (s.additionalProperties != null) {
                    walk(Paths.key(path, e.getKey()), s.additionalProperties, e.getValue(), o, errors);
                }
            });
        } else if (v.isArray() && s.items != null) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode o = "map".equals(s.listType) ? Correlation.item(s, v.get(i), oldValue) : null;
                walk(Paths.index(path, i), s.items, v.get(i), o, errors);
            }
        }
    }

    private void evaluate(String path, Schema s, JsonNode v, JsonNode old, List<FieldError> errors) {
        List<Compiled> here = rules.get(s);
        if (here == null) {
            return;
        }
        String at = Paths.orNil(path);
        for (Compiled c : here) {
            if (c.compileError != null) {
                errors.add(FieldError.invalid(at, s.type, "rule compile error: " + c.compileError));
                continue;
            }
            boolean optionalOldSelf = Boolean.TRUE.equals(c.rule.optionalOldSelf());
            if (c.usesOldSelf && old == null && !optionalOldSelf) {
                continue;
            }
            Map<String, Object> activation = new HashMap<>();
            activation.put("self", toCel(v, s));
            if (optionalOldSelf) {
                activation.put("oldSelf", old == null ? Optional.empty() : Optional.of(toCel(old, s)));
            } else if (old != null) {
                activation.put("oldSelf", toCel(old, s));
            }
            Object result;
            try {
                result = c.program.eval(activation);
            } catch (CelEvaluationException | RuntimeException e) {
                errors.add(FieldError.invalid(at, s.type, evaluationError(e, c.rule)));
                continue;
            }
            if (Boolean.TRUE.equals(result)) {
                continue;
            }
            if (!c.usesOldSelf && old != null && Semantic.equal(v, old)) {
                continue; // ratcheting: kube warns instead for a value the update did not change
            }
            String errPath = c.fieldPath == null ? at : Paths.child(path, c.fieldPath);
            String detail = c.message == null ? null : message(c.message, activation);
            if (detail == null) {
                detail = c.rule.message().isBlank() ? "failed rule: " + ruleString(c.rule) : c.rule.message().trim();
            }
            Object value = s.type.equals("object") || s.type.equals("array") ? FieldError.OMIT : v;
            errors.add(switch (c.rule.reason()) {
                case "FieldValueForbidden" -> FieldError.forbidden(errPath, detail);
                case "FieldValueRequired" -> FieldError.required(errPath, detail);
                case "FieldValueDuplicate" -> FieldError.duplicate(errPath, value);
                default -> FieldError.invalid(errPath, value, detail);
            });
        }
    }

    private static String message(Program p, Map<String, Object> activation) {
        try {
            Object m = p.eval(activation);
            if (m instanceof String s && !s.isBlank() && !s.trim().contains("\n") && s.trim().length() <= 5000) {
                return s.trim();
            }
        } catch (CelEvaluationException | RuntimeException e) {
            // kube logs this and falls back to the rule's message
        }
        return null;
    }

    private static String ruleString(Schema.Rule rule) {
        return rule.message().isBlank() ? rule.rule().trim() : rule.message().trim();
    }

    /** An evaluation error worded as cel-go's, which kube prints. */
    private static String evaluationError(Exception e, Schema.Rule rule) {
        String msg = String.valueOf(e.getMessage()).replaceFirst("^evaluation error at [^:]*:\\d+: ", "")
                .replaceFirst("^evaluation error: ", "");
        if (msg.startsWith("No matching overload") || msg.startsWith("no such overload")) {
            return "'no such overload': call arguments did not match a supported operator, function or macro "
                    + "signature for rule: " + ruleString(rule);
        }
        Matcher key = Pattern.compile("^key '(.*)' is not present in map\\.?$").matcher(msg);
        if (key.matches()) {
            msg = "no such key: " + key.group(1);
        }
        return msg + " evaluating rule: " + ruleString(rule);
    }

    /** A JSON value as kube gives it to CEL: integers as int, numbers of a {@code number} schema as double. */
    static Object toCel(JsonNode v, Schema s) {
        if (v == null || v.isNull()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            boolean number = s != null && s.type.equals("number");
            return !number && GoFormat.isInt64(v) ? (Object) v.longValue() : (Object) v.doubleValue();
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toCel(x, s == null ? null : s.items)));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            Schema p = s == null ? null : s.property(e.getKey());
            if (p != null) {
                String escaped = escape(e.getKey());
                if (escaped != null) {
                    m.put(escaped, toCel(e.getValue(), p));
                }
            } else {
                m.put(e.getKey(), toCel(e.getValue(), s == null ? null : s.additionalProperties));
            }
        });
        return m;
    }

    /** A property name as kube's CEL sees it ({@code x-y} is {@code x__dash__y}), or null if it cannot be named. */
    static String escape(String name) {
        if (RESERVED.contains(name)) {
            return "__" + name + "__";
        }
        String e = name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
                .replace("/", "__slash__");
        return IDENTIFIER.matcher(e).matches() ? e : null;
    }

    // kube's list and regex libraries.

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isSorted(List<?> l) {
        for (int i = 1; i < l.size(); i++) {
            if (((Comparable) l.get(i - 1)).compareTo(l.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object sum(List<?> l) throws CelEvaluationException {
        if (l.isEmpty()) {
            return 0L;
        }
        if (l.get(0) instanceof Double) {
            double d = 0;
            for (Object x : l) {
                d += ((Number) x).doubleValue();
            }
            return d;
        }
        long s = 0;
        for (Object x : l) {
            if (!(x instanceof Long n)) {
                throw new CelEvaluationException("no such overload: sum");
            }
            s = Math.addExact(s, n);
        }
        return s;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object extreme(List<?> l, int sign, String name) throws CelEvaluationException {
        if (l.isEmpty()) {
            throw new CelEvaluationException(name + " called on empty list");
        }
        Object best = l.get(0);
        for (Object x : l) {
            if (((Comparable) x).compareTo(best) * sign > 0) {
                best = x;
            }
        }
        return best;
    }

    private static int lastIndexOf(List<?> l, Object x) {
        for (int i = l.size() - 1; i >= 0; i--) {
            if (l.get(i).equals(x)) {
                return i;
            }
        }
        return -1;
    }

    private static String find(String s, String re) {
        Matcher m = Pattern.compile(re).matcher(s);
        return m.find() ? m.group() : "";
    }

    private static List<String> findAll(String s, String re, long limit) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(re).matcher(s);
        while ((limit < 0 || out.size() < limit) && m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
