package dev.drydock.api.schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string formats a CRD schema may name, checked as kube's format registry (go-openapi's strfmt) checks them.
 * Formats kube does not support are not checked at all, as kube strips them from the schema.
 */
final class Formats {

    private static final Pattern HOSTNAME = Pattern.compile("^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)"
            + "|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}"
            + "([a-zA-Z\\p{L}]){2,63})$");
    private static final Pattern UUID = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?"
            + "[0-9a-f]{12}$");
    private static final Pattern UUID3 = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?"
            + "[0-9a-f]{12}$");
    private static final Pattern UUID4 = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab]"
            + "[0-9a-f]{3}-?[0-9a-f]{12}$");
    private static final Pattern UUID5 = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab]"
            + "[0-9a-f]{3}-?[0-9a-f]{12}$");
    private static final Pattern TIME = Pattern.compile("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?"
            + "(z|([+-][0-9]{2}:[0-9]{2}))$");
    private static final Pattern GO_DURATION = Pattern.compile("[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
            + "(ns|us|µs|μs|ms|s|m|h))+)");
    private static final Pattern LOOSE_DURATION = Pattern.compile("(\\d+)\\s*([A-Za-zµ]+)");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{2}[:-]){7}"
            + "[0-9a-fA-F]{2}|([0-9a-fA-F]{2}[:-]){19}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}"
            + "|([0-9a-fA-F]{4}\\.){3}[0-9a-fA-F]{4}|([0-9a-fA-F]{4}\\.){9}[0-9a-fA-F]{4}");
    private static final Pattern EMAIL = Pattern.compile("^(.*<)?[^<>@\\s]+@[^<>@\\s]+(>)?$");
    private static final Pattern HEX_COLOR = Pattern.compile("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
    private static final Pattern RGB_COLOR = Pattern.compile("^rgb\\(\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])"
            + "\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*\\)$");
    private static final Pattern SSN = Pattern.compile("^\\d{3}[- ]?\\d{2}[- ]?\\d{4}$");
    private static final Pattern BSON_OBJECT_ID = Pattern.compile("^[0-9a-fA-F]{24}$");
    private static final Pattern ISBN10 = Pattern.compile("^(?:[0-9]{9}X|[0-9]{10})$");
    private static final Pattern ISBN13 = Pattern.compile("^(?:[0-9]{13})$");
    private static final Pattern CREDIT_CARD = Pattern.compile("^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|"
            + "6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})"
            + "\\d{11})$");
    private static final Pattern K8S_SHORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern K8S_LONG_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?"
            + "(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final DateTimeFormatter FULL_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** By the name go-openapi normalizes them to: without dashes. */
    private static final Map<String, Predicate<String>> CHECKS = Map.ofEntries(
            Map.entry("bsonobjectid", s -> BSON_OBJECT_ID.matcher(s).matches()),
            Map.entry("uri", Formats::isUri),
            Map.entry("email", s -> EMAIL.matcher(s).matches()),
            Map.entry("hostname", Formats::isHostname),
            Map.entry("ipv4", Formats::isIpv4),
            Map.entry("ipv6", Formats::isIpv6),
            Map.entry("cidr", Formats::isCidr),
            Map.entry("mac", s -> MAC.matcher(s).matches()),
            Map.entry("uuid", s -> UUID.matcher(s).matches()),
            Map.entry("uuid3", s -> UUID3.matcher(s).matches()),
            Map.entry("uuid4", s -> UUID4.matcher(s).matches()),
            Map.entry("uuid5", s -> UUID5.matcher(s).matches()),
            Map.entry("isbn", s -> isIsbn(s, true, true)),
            Map.entry("isbn10", s -> isIsbn(s, true, false)),
            Map.entry("isbn13", s -> isIsbn(s, false, true)),
            Map.entry("creditcard", s -> CREDIT_CARD.matcher(s.replaceAll("[^0-9]", "")).matches()),
            Map.entry("ssn", s -> SSN.matcher(s).matches()),
            Map.entry("hexcolor", s -> HEX_COLOR.matcher(s).matches()),
            Map.entry("rgbcolor", s -> RGB_COLOR.matcher(s).matches()),
            Map.entry("byte", Formats::isBase64),
            Map.entry("password", s -> true),
            Map.entry("date", Formats::isDate),
            Map.entry("duration", Formats::isDuration),
            Map.entry("datetime", Formats::isDateTime),
            Map.entry("k8sshortname", s -> s.length() <= 63 && K8S_SHORT_NAME.matcher(s).matches()),
            Map.entry("k8slongname", s -> s.length() <= 253 && K8S_LONG_NAME.matcher(s).matches()));

    private Formats() {
    }

    /** Whether kube checks this format for the given schema type ({@code ""} or {@code string}). */
    static boolean supported(String format, String type) {
        return (type.isEmpty() || type.equals("string")) && CHECKS.containsKey(normalize(format));
    }

    /** Whether the value is of the format; {@code true} for a format kube does not check. */
    static boolean valid(String format, String value) {
        Predicate<String> check = CHECKS.get(normalize(format));
        return check == null || check.test(value);
    }

    private static String normalize(String format) {
        return format.replace("-", "");
    }

    static boolean isDate(String s) {
        try {
            LocalDate.parse(s, FULL_DATE);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static boolean isDateTime(String s) {
        if (s.length() < 4) {
            return false;
        }
        String[] parts = s.toLowerCase(Locale.ROOT).split("t", -1);
        if (parts.length < 2 || !isDate(parts[0])) {
            return false;
        }
        Matcher m = TIME.matcher(parts[1]);
        return m.matches() && m.group(1).compareTo("23") <= 0 && m.group(2).compareTo("59") <= 0
                && m.group(3).compareTo("59") <= 0;
    }

    static boolean isDuration(String s) {
        if (GO_DURATION.matcher(s).matches()) {
            return true;
        }
        Matcher m = LOOSE_DURATION.matcher(s);
        while (m.find()) {
            String unit = m.group(2).trim().toLowerCase(Locale.ROOT);
            for (String[] variants : new String[][] {{"ns", "nano"}, {"us", "µs", "micro"}, {"ms", "milli"},
                    {"s", "sec"}, {"m", "min"}, {"h", "hr", "hour"}, {"d", "day"}, {"w", "wk", "week"}}) {
                for (int i = 0; i < variants.length; i++) {
                    if ((i == variants.length - 1 && unit.startsWith(variants[i]))
                            || variants[i].equalsIgnoreCase(unit)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isUri(String s) {
        // Go's url.ParseRequestURI: an absolute URI or an absolute path.
        try {
            URI u = new URI(s);
            return u.isAbsolute() || s.startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isHostname(String s) {
        if (!HOSTNAME.matcher(s).matches() || s.length() > 255) {
            return false;
        }
        for (String p : s.split("\\.")) {
            if (p.length() > 63) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String s) {
        Matcher m = IPV4.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        // Only hex digits, colons and dots: InetAddress parses such a literal and never asks DNS.
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address
                    || s.contains("::ffff:") || s.startsWith("::");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String ip = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}")) {
            return false;
        }
        int n = Integer.parseInt(bits);
        if (isIpv4(ip)) {
            return n <= 32;
        }
        return isIpv6(ip) && n <= 128;
    }

    private static boolean isBase64(String s) {
        try {
            Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isIsbn(String s, boolean ten, boolean thirteen) {
        String digits = s.replaceAll("[\\s-]", "");
        return (ten && ISBN10.matcher(digits).matches() && checksum10(digits))
                || (thirteen && ISBN13.matcher(digits).matches() && checksum13(digits));
    }

    private static boolean checksum10(String d) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (i + 1) * (d.charAt(i) - '0');
        }
        int last = d.charAt(9) == 'X' ? 10 : d.charAt(9) - '0';
        return (sum + 10 * last) % 11 == 0;
    }

    private static boolean checksum13(String d) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (i % 2 == 0 ? 1 : 3) * (d.charAt(i) - '0');
        }
        return (10 - sum % 10) % 10 == d.charAt(12) - '0';
    }
}
