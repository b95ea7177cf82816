package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Values printed as Go's {@code fmt} prints them, since kube's messages are built with {@code %q} and {@code %v}:
 * {@code "a\"b"}, {@code 10}, {@code 1.5}, {@code 1e+06}.
 */
public final class GoFormat {

    private GoFormat() {
    }

    /** A string as Go's {@code strconv.Quote} (and {@code %q}) writes it. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (isPrint(c)) {
                        b.appendCodePoint(c);
                    } else if (c < 0x80) {
                        b.append(String.format("\\x%02x", c));
                    } else if (c < 0x10000) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.append(String.format("\\U%08x", c));
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    private static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        int t = Character.getType(c);
        return !(Character.isISOControl(c) || Character.isWhitespace(c) || t == Character.UNASSIGNED
                || t == Character.SURROGATE || t == Character.PRIVATE_USE || t == Character.FORMAT
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.SPACE_SEPARATOR);
    }

    /** A float64 as Go's {@code %v} writes it: the shortest digits, in exponent form below 1e-4 and from 1e+06. */
    public static String float64(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - bd.scale() - 1; // the decimal exponent of the first digit
        StringBuilder b = new StringBuilder();
        if (bd.signum() < 0) {
            b.append('-');
        }
        // %v is %g with the shortest precision, which switches to %e when exp < -4 || exp >= 6.
        if (exp < -4 || exp >= 6) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits, 1, digits.length());
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                b.append('0');
            }
            b.append(e);
        } else {
            b.append(bd.abs().toPlainString());
        }
        return b.toString();
    }

    /** A JSON number as kube prints the value it decoded: integers as int64, other numbers as float64. */
    public static String number(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Long.toString(n.longValue());
        }
        return float64(n.doubleValue());
    }

    /** Whether kube's decoder makes an int64 of a JSON number: an integer literal in range ({@code 2.0} is a float). */
    public static boolean isInt64(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }
}
