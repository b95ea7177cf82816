package dev.drydock.kube;

/**
 * The syntax of Kubernetes' names, label keys and label values (apimachinery's {@code validation} regexes), checked
 * character by character: the API server checks several on every write, where a regex costs more than the rest of
 * the check. Each method says which regex it answers for; lengths are left to the callers, as kube words them apart.
 *
 * <pre>{@code
 * NameRules.isDns1123Subdomain("web.example.com"); // true
 * NameRules.isQualifiedNamePart("app.kubernetes.io"); // true
 * }</pre>
 */
public final class NameRules {

    private NameRules() {
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}: an RFC 1123 label's characters. */
    public static boolean isDns1123Label(String s) {
        return isDns1123Label(s, 0, s.length());
    }

    private static boolean isDns1123Label(String s, int from, int to) {
        if (from >= to || !isLowerAlnum(s.charAt(from)) || !isLowerAlnum(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*}: an RFC 1123 subdomain's characters. */
    public static boolean isDns1123Subdomain(String s) {
        int from = 0;
        while (true) {
            int dot = s.indexOf('.', from);
            int to = dot < 0 ? s.length() : dot;
            if (!isDns1123Label(s, from, to)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            from = dot + 1;
        }
    }

    /** {@code [a-z]([-a-z0-9]*[a-z0-9])?}: an RFC 1035 label's characters. */
    public static boolean isDns1035Label(String s) {
        return !s.isEmpty() && s.charAt(0) >= 'a' && s.charAt(0) <= 'z' && isDns1123Label(s);
    }

    /** {@code [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?}: the name part of a qualified name (e.g. a label key's). */
    public static boolean isQualifiedNamePart(String s) {
        int n = s.length();
        if (n == 0 || !isAlnum(s.charAt(0)) || !isAlnum(s.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** {@code (([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?}: a label value's characters (empty allowed). */
    public static boolean isLabelValueSyntax(String s) {
        return s.isEmpty() || isQualifiedNamePart(s);
    }

    private static boolean isLowerAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
