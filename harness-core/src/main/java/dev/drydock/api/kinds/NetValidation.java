package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** IP addresses and ports as kube's validation reads and words them ({@code IsValidIP}, {@code IsValidPortNum}...). */
final class NetValidation {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    private NetValidation() {
    }

    /**
     * An IPv4 address as a number, read as Go's {@code ParseIPSloppy} reads it (decimal octets, leading zeros
     * allowed), or -1 if {@code s} is not one.
     */
    static long ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return -1;
            }
            ip = ip << 8 | octet;
        }
        return ip;
    }

    static String ipv4String(long ip) {
        return (ip >> 24 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip & 0xff);
    }

    /** Whether {@code s} is an IPv6 address. */
    static boolean isIPv6(String s) {
        return ipv4(s) < 0 && address(s) != null;
    }

    static boolean isValidIP(String s) {
        return address(s) != null;
    }

    /**
     * The bytes of an IP address, or null. An IPv6 literal is parsed in brackets, so that Java never takes it for a
     * host name to look up.
     */
    private static byte[] address(String s) {
        long v4 = ipv4(s);
        if (v4 >= 0) {
            return new byte[] {(byte) (v4 >> 24), (byte) (v4 >> 16), (byte) (v4 >> 8), (byte) v4};
        }
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName("[" + s + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** kube's {@code IsValidIP}. */
    static void validIP(String field, String value, List<FieldError> errors) {
        if (!isValidIP(value)) {
            errors.add(FieldError.invalid(field, value, "must be a valid IP address, (e.g. 10.9.8.7 or "
                    + "2001:db8::ffff)"));
        }
    }

    /** kube's {@code ValidateNonSpecialIP} (endpoints and external IPs), for a valid IP. */
    static void nonSpecialIP(String field, String value, List<FieldError> errors) {
        byte[] a = address(value);
        if (a == null) {
            errors.add(FieldError.invalid(field, value, "must be a valid IP address"));
            return;
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        if (ip.isAnyLocalAddress()) {
            errors.add(FieldError.invalid(field, value, "may not be unspecified (" + value + ")"));
        }
        if (ip.isLoopbackAddress()) {
            errors.add(FieldError.invalid(field, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }
        if (ip.isLinkLocalAddress()) {
            errors.add(FieldError.invalid(field, value, "may not be in the link-local range (169.254.0.0/16, "
                    + "fe80::/10)"));
        }
        boolean linkLocalMulticast = a.length == 4 ? (a[0] & 0xff) == 224 && a[1] == 0 && a[2] == 0
                : (a[0] & 0xff) == 0xff && (a[1] & 0x0f) == 2;
        if (linkLocalMulticast) {
            errors.add(FieldError.invalid(field, value, "may not be in the link-local multicast range (224.0.0.0/24, "
                    + "ff02::/10)"));
        }
    }

    /** kube's {@code IsValidPortNum}, worded with the number as the value. */
    static void portNum(String field, long port, List<FieldError> errors) {
        if (port < 1 || port > 65535) {
            errors.add(FieldError.invalidRaw(field, Long.toString(port), "must be between 1 and 65535, inclusive"));
        }
    }

    /** kube's {@code IsValidPortName}: the messages for a port name, empty when it is valid. */
    static List<String> portNameErrors(String name) {
        List<String> errs = new java.util.ArrayList<>();
        if (name.length() > 15) {
            errs.add("must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(name).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(name).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (name.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!name.isEmpty() && (name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** kube's {@code ValidatePortNumOrName} of an IntOrString. */
    static void portNumOrName(String field, JsonNode port, List<FieldError> errors) {
        if (port == null || port.isNull()) {
            return;
        }
        if (port.isIntegralNumber()) {
            portNum(field, port.asLong(), errors);
        } else if (port.isTextual()) {
            portNameErrors(port.asText()).forEach(m -> errors.add(FieldError.invalid(field, port.asText(), m)));
        } else {
            errors.add(FieldError.invalidRaw(field, port.toString(), "must be an int or string"));
        }
    }
}
