package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * discovery.k8s.io/v1 EndpointSlice, with kube's defaults (a port's name defaults to {@code ""}, its protocol to
 * {@code TCP}) and the common rules of {@code pkg/apis/discovery/validation}: {@code addressType} required, one of
 * IPv4, IPv6 and FQDN, and immutable; each endpoint has 1 to 100 addresses of that type; port names are unique DNS
 * labels and protocols TCP, UDP or SCTP. Stored and served: no controller writes slices yet.
 */
public final class DiscoveryV1Kinds {

    /** discovery.k8s.io/v1 endpointslices. */
    public static final Resource ENDPOINTSLICES = new Resource("discovery.k8s.io", "v1", "endpointslices",
            "EndpointSlice", true);

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private DiscoveryV1Kinds() {
    }

    /** Adds the discovery.k8s.io/v1 kinds to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(ENDPOINTSLICES).strategy(ENDPOINTSLICE).build());
    }

    static final KindStrategy ENDPOINTSLICE = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public boolean specChanged(ObjectNode obj, ObjectNode old) {
            // the strategy's PrepareForUpdate: "Increment generation if anything other than meta changed"
            ObjectNode a = obj.deepCopy();
            ObjectNode b = old.deepCopy();
            a.remove("metadata");
            b.remove("metadata");
            return !Semantic.equal(a, b);
        }

        @Override
        public void defaults(ObjectNode slice) {
            for (JsonNode port : slice.path("ports")) {
                if (port instanceof ObjectNode p) {
                    KindChecks.putIfAbsent(p, "name", "");
                    KindChecks.putIfAbsent(p, "protocol", "TCP");
                }
            }
        }

        @Override
        public void validate(ObjectNode slice, List<FieldError> errors) {
            String type = slice.path("addressType").asText("");
            if (type.isEmpty()) {
                errors.add(FieldError.required("addressType", ""));
            } else if (!Set.of("IPv4", "IPv6", "FQDN").contains(type)) {
                errors.add(FieldError.notSupported("addressType", type,
                        "supported values: \"FQDN\", \"IPv4\", \"IPv6\""));
            }
            endpoints(slice.path("endpoints"), type, errors);
            ports(slice.path("ports"), errors);
        }

        @Override
        public void validateUpdate(ObjectNode slice, ObjectNode old, List<FieldError> errors) {
            KindChecks.immutableText("addressType", slice.get("addressType"), old.get("addressType"), errors);
        }
    };

    private static void endpoints(JsonNode endpoints, String type, List<FieldError> errors) {
        if (endpoints.size() > 1000) {
            errors.add(new FieldError(FieldError.Type.INVALID, "endpoints", null,
                    "Too many: " + endpoints.size() + ": must have at most 1000 items"));
            return;
        }
        int i = 0;
        for (JsonNode endpoint : endpoints) {
            String path = "endpoints[" + i++ + "]";
            JsonNode addresses = endpoint.path("addresses");
            if (addresses.isEmpty()) {
                errors.add(FieldError.required(path + ".addresses", "must contain at least 1 address"));
            } else if (addresses.size() > 100) {
                errors.add(new FieldError(FieldError.Type.INVALID, path + ".addresses", null,
                        "Too many: " + addresses.size() + ": must have at most 100 items"));
            }
            int a = 0;
            for (JsonNode address : addresses) {
                address(path + ".addresses[" + a++ + "]", address.asText(), type, errors);
            }
            JsonNode nodeName = endpoint.get("nodeName");
            if (nodeName != null && !nodeName.isNull()) {
                Validation.dns1123Subdomain(path + ".nodeName", nodeName.asText(), errors);
            }
            JsonNode hostname = endpoint.get("hostname");
            if (hostname != null && !hostname.isNull()) {
                Validation.dns1123Label(path + ".hostname", hostname.asText(), errors);
            }
            Validation.labels(path + ".deprecatedTopology", endpoint.get("deprecatedTopology"), errors);
        }
    }

    /** IsValidIPv4Address, IsValidIPv6Address and IsFullyQualifiedDomainName, with kube's messages. */
    private static void address(String field, String address, String type, List<FieldError> errors) {
        switch (type) {
            case "IPv4" -> {
                byte[] ip = ipv4(address);
                if (ip == null) {
                    errors.add(FieldError.invalid(field, address, "must be a valid IPv4 address"));
                } else {
                    nonSpecial(field, address, ip, errors);
                }
            }
            case "IPv6" -> {
                byte[] ip = ipv6(address);
                if (ip == null) {
                    errors.add(FieldError.invalid(field, address, "must be a valid IPv6 address"));
                } else {
                    nonSpecial(field, address, ip, errors);
                }
            }
            case "FQDN" -> {
                String name = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
                if (name.isEmpty()) {
                    errors.add(FieldError.required(field, ""));
                } else if (!name.contains(".")) {
                    errors.add(FieldError.invalid(field, address, "should be a domain with at least two segments "
                            + "separated by dots"));
                } else {
                    Validation.dns1123Subdomain(field, name, errors);
                }
            }
            default -> {
                // an unknown address type is reported on addressType; its addresses are not checked
            }
        }
    }

    /** The address as Go's {@code ParseIPSloppy} reads an IPv4 address (leading zeros allowed), or null. */
    private static byte[] ipv4(String address) {
        if (!IPV4.matcher(address).matches()) {
            return null;
        }
        String[] parts = address.split("\\.");
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            ip[i] = (byte) v;
        }
        return ip;
    }

    private static byte[] ipv6(String address) {
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return null;
        }
        try {
            byte[] ip = InetAddress.getByName(address).getAddress();
            return ip.length == 16 ? ip : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** kube's {@code ValidateNonSpecialIP}: no unspecified, loopback or link-local address. */
    private static void nonSpecial(String field, String address, byte[] ip, List<FieldError> errors) {
        boolean v4 = ip.length == 4;
        boolean unspecified = true;
        for (byte b : ip) {
            unspecified &= b == 0;
        }
        boolean loopback = v4 ? (ip[0] & 0xff) == 127 : isV6Loopback(ip);
        boolean linkLocal = v4 ? (ip[0] & 0xff) == 169 && (ip[1] & 0xff) == 254
                : (ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80;
        boolean linkLocalMulticast = v4 ? (ip[0] & 0xff) == 224 && ip[1] == 0 && ip[2] == 0
                : (ip[0] & 0xff) == 0xff && (ip[1] & 0x0f) == 0x02;
        if (unspecified) {
            errors.add(FieldError.invalid(field, address, "may not be unspecified (" + address + ")"));
        } else if (loopback) {
            errors.add(FieldError.invalid(field, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        } else if (linkLocal) {
            errors.add(FieldError.invalid(field, address,
                    "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        } else if (linkLocalMulticast) {
            errors.add(FieldError.invalid(field, address,
                    "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }
    }

    private static boolean isV6Loopback(byte[] ip) {
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    private static void ports(JsonNode ports, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode port : ports) {
            String path = "ports[" + i++ + "]";
            String name = port.path("name").asText("");
            if (!name.isEmpty()) {
                Validation.dns1123Label(path + ".name", name, errors);
            }
            if (!names.add(name)) {
                errors.add(FieldError.duplicate(path + ".name", name));
            }
            JsonNode protocol = port.get("protocol");
            if (protocol == null || protocol.isNull()) {
                errors.add(FieldError.required(path + ".protocol", ""));
            } else if (!Set.of("TCP", "UDP", "SCTP").contains(protocol.asText())) {
                errors.add(FieldError.notSupported(path + ".protocol", protocol.asText(),
                        "supported values: \"SCTP\", \"TCP\", \"UDP\""));
            }
            JsonNode appProtocol = port.get("appProtocol");
            if (appProtocol != null && !appProtocol.isNull()) {
                Validation.qualifiedName(path + ".appProtocol", appProtocol.asText(), errors);
            }
            KindChecks.nonNegative(path + ".port", port.get("port"), errors);
        }
    }
}
