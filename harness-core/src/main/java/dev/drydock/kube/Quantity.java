package dev.drydock.kube;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Kubernetes resource quantities ({@code 100m}, {@code 1.5}, {@code 128Mi}, {@code 1G}, {@code 2e3}) as numbers.
 */
public final class Quantity {

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("", BigDecimal.ONE),
            Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")), Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")), Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    private Quantity() {
    }

    /** Parses a quantity; throws {@link IllegalArgumentException} with kube's wording if it is malformed. */
    public static BigDecimal parse(String q) {
        String s = q.trim();
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String number = s.substring(0, i);
        String suffix = s.substring(i);
        try {
            // As kube's suffixer: a known suffix first ("E" is exa, "Ei" is 2^60), else "e"/"E" and an exponent.
            BigDecimal mult = SUFFIXES.get(suffix);
            if (mult == null && suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                return new BigDecimal(number).scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            }
            if (mult == null || number.isEmpty()) {
                throw new NumberFormatException();
            }
            return new BigDecimal(number).multiply(mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
    }

    /** CPU in millicores (rounded up, as kube's {@code MilliValue}). */
    public static long milli(String q) {
        return parse(q).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** A whole value (bytes for memory), rounded up. */
    public static long value(String q) {
        return parse(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
