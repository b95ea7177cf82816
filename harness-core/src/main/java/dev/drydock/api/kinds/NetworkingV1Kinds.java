package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code networking.k8s.io/v1}: Ingress (with {@code status}), IngressClass and NetworkPolicy, with the common rules
 * of kube's {@code pkg/apis/networking/validation} and defaults ({@code v1/defaults.go}): an Ingress needs rules or
 * a default backend, each path a {@code pathType} of kube's enum and a service (name and port) or resource backend;
 * a NetworkPolicy's {@code policyTypes} default to Ingress, plus Egress when it has egress rules, and its ports'
 * protocol to TCP. They are stored and served; nothing enforces them (drydock has no ingress controller and no
 * network plugin).
 */
public final class NetworkingV1Kinds {

    static final String GROUP = "networking.k8s.io";
    static final Resource INGRESSES = new Resource(GROUP, "v1", "ingresses", "Ingress", true);
    static final Resource INGRESS_CLASSES = new Resource(GROUP, "v1", "ingressclasses", "IngressClass", false);
    static final Resource NETWORK_POLICIES = new Resource(GROUP, "v1", "networkpolicies", "NetworkPolicy", true);

    private static final Set<String> PATH_TYPES = Set.of("Exact", "ImplementationSpecific", "Prefix");
    private static final Pattern WILDCARD_DNS1123_SUBDOMAIN =
            Pattern.compile("\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private NetworkingV1Kinds() {
    }

    /** Adds Ingress, IngressClass and NetworkPolicy. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(INGRESSES).shortNames("ing").status().strategy(INGRESS).build());
        registry.add(KindDescriptor.of(INGRESS_CLASSES).strategy(INGRESS_CLASS).build());
        registry.add(KindDescriptor.of(NETWORK_POLICIES).shortNames("netpol").strategy(NETWORK_POLICY).build());
    }

    static final KindStrategy INGRESS = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void prepareForCreate(ObjectNode ingress) {
            ingress.putObject("status").putObject("loadBalancer"); // the status is the ingress controller's to write
        }

        @Override
        public void validate(ObjectNode ingress, List<FieldError> errors) {
            JsonNode spec = ingress.path("spec");
            JsonNode rules = spec.get("rules");
            boolean hasRules = rules != null && !rules.isNull() && !rules.isEmpty();
            JsonNode defaultBackend = spec.get("defaultBackend");
            boolean hasDefault = defaultBackend != null && !defaultBackend.isNull();
            if (!hasRules && !hasDefault) {
                errors.add(FieldError.invalidRaw("spec", rules == null || rules.isNull()
                        ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}",
                        "either `defaultBackend` or `rules` must be specified"));
            }
            if (hasDefault) {
                validateBackend(defaultBackend, "spec.defaultBackend", errors);
            }
            int i = 0;
            for (JsonNode rule : spec.path("rules")) {
                validateRule(rule, "spec.rules[" + i++ + "]", errors);
            }
            int t = 0;
            for (JsonNode tls : spec.path("tls")) {
                String path = "spec.tls[" + t++ + "]";
                int h = 0;
                for (JsonNode host : tls.path("hosts")) {
                    validateHost(host.asText(), path + ".hosts[" + h++ + "]", errors);
                }
                String secret = tls.path("secretName").asText("");
                if (!secret.isEmpty()) {
                    Validation.dns1123Subdomain(path + ".secretName", secret, errors);
                }
            }
            JsonNode className = spec.get("ingressClassName");
            if (className != null && !className.isNull()) {
                Validation.dns1123Subdomain("spec.ingressClassName", className.asText(), errors);
            }
        }

        private void validateRule(JsonNode rule, String path, List<FieldError> errors) {
            String host = rule.path("host").asText("");
            if (!host.isEmpty()) {
                if (isIp(host)) {
                    errors.add(FieldError.invalid(path + ".host", host, "must be a DNS name, not an IP address"));
                }
                validateHost(host, path + ".host", errors);
            }
            JsonNode http = rule.get("http");
            if (http == null || http.isNull()) {
                return;
            }
            if (http.path("paths").isEmpty()) {
                errors.add(FieldError.required(path + ".http.paths", ""));
            }
            int i = 0;
            for (JsonNode p : http.path("paths")) {
                validatePath(p, path + ".http.paths[" + i++ + "]", errors);
            }
        }

        /** kube's {@code validateHTTPIngressPath}. */
        private void validatePath(JsonNode p, String path, List<FieldError> errors) {
            JsonNode pathType = p.get("pathType");
            if (pathType == null || pathType.isNull()) {
                errors.add(FieldError.required(path + ".pathType", "pathType must be specified"));
                return;
            }
            String value = p.path("path").asText("");
            switch (pathType.asText()) {
                case "Exact", "Prefix" -> {
                    if (!value.startsWith("/")) {
                        errors.add(FieldError.invalid(path + ".path", value, "must be an absolute path"));
                    }
                    if (!value.isEmpty()) {
                        for (String seq : List.of("//", "/./", "/../", "%2f", "%2F")) {
                            if (value.contains(seq)) {
                                errors.add(FieldError.invalid(path + ".path", value, "must not contain '" + seq + "'"));
                            }
                        }
                        for (String suffix : List.of("/..", "/.")) {
                            if (value.endsWith(suffix)) {
                                errors.add(FieldError.invalid(path + ".path", value, "cannot end with '" + suffix + "'"));
                            }
                        }
                    }
                }
                case "ImplementationSpecific" -> {
                    if (!value.isEmpty() && !value.startsWith("/")) {
                        errors.add(FieldError.invalid(path + ".path", value, "must be an absolute path"));
                    }
                }
                default -> errors.add(FieldError.notSupported(path + ".pathType", pathType.asText(),
                        "supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""));
            }
            validateBackend(p.path("backend"), path + ".backend", errors);
        }
    };

    static final KindStrategy INGRESS_CLASS = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void defaults(ObjectNode ingressClass) {
            JsonNode parameters = ingressClass.path("spec").get("parameters");
            if (parameters instanceof ObjectNode p && !p.hasNonNull("scope")) {
                p.put("scope", "Cluster");
            }
        }

        @Override
        public void validate(ObjectNode ingressClass, List<FieldError> errors) {
            JsonNode spec = ingressClass.path("spec");
            String controller = spec.path("controller").asText("");
            if (controller.isEmpty()) {
                errors.add(FieldError.required("spec.controller", ""));
            } else {
                if (controller.length() > 250) {
                    errors.add(FieldError.tooLong("spec.controller", 250));
                }
                domainPrefixedPath("spec.controller", controller, errors);
            }
            JsonNode params = spec.get("parameters");
            if (params == null || params.isNull()) {
                return;
            }
            String path = "spec.parameters";
            JsonNode apiGroup = params.get("apiGroup");
            if (apiGroup != null && !apiGroup.isNull()) {
                Validation.dns1123Subdomain(path + ".apiGroup", apiGroup.asText(), errors);
            }
            for (String field : List.of("kind", "name")) {
                String value = params.path(field).asText("");
                if (value.isEmpty()) {
                    errors.add(FieldError.required(path + "." + field, ""));
                } else {
                    RbacV1Kinds.pathSegmentName(path + "." + field, value, errors);
                }
            }
            String scope = params.path("scope").asText("");
            JsonNode namespace = params.get("namespace");
            boolean hasNamespace = namespace != null && !namespace.isNull();
            switch (scope) {
                case "Namespace" -> {
                    if (!hasNamespace) {
                        errors.add(FieldError.required(path + ".namespace",
                                "`parameters.scope` is set to 'Namespace'"));
                    } else {
                        Validation.dns1123Label(path + ".namespace", namespace.asText(), errors);
                    }
                }
                case "Cluster" -> {
                    if (hasNamespace) {
                        errors.add(FieldError.forbidden(path + ".namespace", "`parameters.scope` is set to 'Cluster'"));
                    }
                }
                default -> errors.add(FieldError.notSupported(path + ".scope", scope,
                        "supported values: \"Cluster\", \"Namespace\""));
            }
        }

        @Override
        public void validateUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
            String controller = obj.path("spec").path("controller").asText("");
            if (!controller.equals(old.path("spec").path("controller").asText(""))) {
                errors.add(FieldError.invalid("spec.controller", controller, "field is immutable"));
            }
        }
    };

    static final KindStrategy NETWORK_POLICY = new KindStrategy() {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        /** kube's {@code SetDefaults_NetworkPolicy} and {@code SetDefaults_NetworkPolicyPort}. */
        @Override
        public void defaults(ObjectNode policy) {
            ObjectNode spec = Json.with(policy, "spec");
            if (!spec.has("podSelector") || spec.get("podSelector").isNull()) {
                spec.putObject("podSelector"); // a struct in Go: an absent selector is the empty one
            }
            if (spec.path("policyTypes").isEmpty()) {
                ArrayNode types = spec.putArray("policyTypes").add("Ingress");
                if (!spec.path("egress").isEmpty()) {
                    types.add("Egress");
                }
            }
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode rule : spec.path(direction)) {
                    for (JsonNode port : rule.path("ports")) {
                        if (port instanceof ObjectNode p && !p.hasNonNull("protocol")) {
                            p.put("protocol", "TCP");
                        }
                    }
                }
            }
        }

        @Override
        public void validate(ObjectNode policy, List<FieldError> errors) {
            JsonNode spec = policy.path("spec");
            LabelSelectorValidation.validate(spec.get("podSelector"), "spec.podSelector", errors);
            for (String direction : List.of("ingress", "egress")) {
                String peers = direction.equals("ingress") ? "from" : "to";
                int i = 0;
                for (JsonNode rule : spec.path(direction)) {
                    String path = "spec." + direction + "[" + i++ + "]";
                    int j = 0;
                    for (JsonNode port : rule.path("ports")) {
                        validatePort(port, path + ".ports[" + j++ + "]", errors);
                    }
                    int k = 0;
                    for (JsonNode peer : rule.path(peers)) {
                        validatePeer(peer, path + "." + peers + "[" + k++ + "]", errors);
                    }
                }
            }
            JsonNode types = spec.path("policyTypes");
            if (types.size() > 2) {
                errors.add(FieldError.invalidRaw("spec.policyTypes",
                        FieldError.goSlice("networking.PolicyType", texts(types)), "may not specify more than two "
                                + "policyTypes"));
                return;
            }
            int i = 0;
            for (JsonNode type : types) {
                if (!type.asText().equals("Ingress") && !type.asText().equals("Egress")) {
                    errors.add(FieldError.notSupported("spec.policyTypes[" + i + "]", type.asText(),
                            "supported values: \"Ingress\", \"Egress\""));
                }
                i++;
            }
        }

        /** kube's {@code ValidateNetworkPolicyPort}. */
        private void validatePort(JsonNode port, String path, List<FieldError> errors) {
            String protocol = port.path("protocol").asText("");
            if (port.hasNonNull("protocol") && !Set.of("TCP", "UDP", "SCTP").contains(protocol)) {
                errors.add(FieldError.notSupported(path + ".protocol", protocol,
                        "supported values: \"TCP\", \"UDP\", \"SCTP\""));
            }
            JsonNode value = port.get("port");
            JsonNode endPort = port.get("endPort");
            boolean hasEnd = endPort != null && !endPort.isNull();
            if (value == null || value.isNull()) {
                if (hasEnd) {
                    errors.add(FieldError.invalidRaw(path + ".endPort", endPort.asText(),
                            "may not be specified when `port` is not specified"));
                }
                return;
            }
            if (value.isIntegralNumber()) {
                int number = value.asInt();
                if (number < 1 || number > 65535) {
                    errors.add(FieldError.invalidRaw(path + ".port", Integer.toString(number),
                            "must be between 1 and 65535, inclusive"));
                }
                if (hasEnd) {
                    if (endPort.asInt() < number) {
                        errors.add(FieldError.invalidRaw(path + ".endPort", endPort.asText(),
                                "must be greater than or equal to `port`"));
                    }
                    if (endPort.asInt() < 1 || endPort.asInt() > 65535) {
                        errors.add(FieldError.invalidRaw(path + ".endPort", endPort.asText(),
                                "must be between 1 and 65535, inclusive"));
                    }
                }
            } else {
                if (hasEnd) {
                    errors.add(FieldError.invalidRaw(path + ".endPort", endPort.asText(),
                            "may not be specified when `port` is non-numeric"));
                }
                portName(path + ".port", value.asText(), errors);
            }
        }

        /** kube's {@code ValidateNetworkPolicyPeer}. */
        private void validatePeer(JsonNode peer, String path, List<FieldError> errors) {
            int peers = 0;
            if (peer.hasNonNull("podSelector")) {
                peers++;
                LabelSelectorValidation.validate(peer.get("podSelector"), path + ".podSelector", errors);
            }
            if (peer.hasNonNull("namespaceSelector")) {
                peers++;
                LabelSelectorValidation.validate(peer.get("namespaceSelector"), path + ".namespaceSelector", errors);
            }
            JsonNode ipBlock = peer.get("ipBlock");
            if (ipBlock != null && !ipBlock.isNull()) {
                peers++;
                validateIpBlock(ipBlock, path + ".ipBlock", errors);
            }
            if (peers == 0) {
                errors.add(FieldError.required(path, "must specify a peer"));
            } else if (peers > 1 && ipBlock != null && !ipBlock.isNull()) {
                errors.add(FieldError.forbidden(path, "may not specify both ipBlock and another peer"));
            }
        }

        /** kube's {@code ValidateIPBlock}. */
        private void validateIpBlock(JsonNode ipBlock, String path, List<FieldError> errors) {
            String cidr = ipBlock.path("cidr").asText("");
            if (cidr.isEmpty()) {
                errors.add(FieldError.required(path + ".cidr", ""));
                return;
            }
            Cidr block = Cidr.parse(cidr);
            if (block == null) {
                errors.add(FieldError.invalid(path + ".cidr", cidr, Cidr.INVALID));
                return;
            }
            int i = 0;
            for (JsonNode except : ipBlock.path("except")) {
                String field = path + ".except[" + i++ + "]";
                Cidr e = Cidr.parse(except.asText());
                if (e == null) {
                    errors.add(FieldError.invalid(field, except.asText(), Cidr.INVALID));
                } else if (!block.containsStrictly(e)) {
                    errors.add(FieldError.invalid(field, except.asText(), "must be a strict subset of `cidr`"));
                }
            }
        }
    };

    // ---- shared rules

    /** kube's {@code validateIngressBackend}. */
    static void validateBackend(JsonNode backend, String path, List<FieldError> errors) {
        JsonNode resource = backend.get("resource");
        JsonNode service = backend.get("service");
        boolean hasResource = resource != null && !resource.isNull();
        boolean hasService = service != null && !service.isNull();
        if (hasResource && hasService) {
            errors.add(FieldError.invalid(path, "", "cannot set both resource and service backends"));
            return;
        }
        if (hasResource) {
            JsonNode apiGroup = resource.get("apiGroup");
            if (apiGroup != null && !apiGroup.isNull()) {
                Validation.dns1123Subdomain(path + ".resource.apiGroup", apiGroup.asText(), errors);
            }
            for (String field : List.of("kind", "name")) {
                String value = resource.path(field).asText("");
                if (value.isEmpty()) {
                    errors.add(FieldError.required(path + ".resource." + field, ""));
                } else {
                    RbacV1Kinds.pathSegmentName(path + ".resource." + field, value, errors);
                }
            }
            return;
        }
        if (!hasService) {
            errors.add(FieldError.invalid(path, "", "resource or service backend is required"));
            return;
        }
        String name = service.path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required(path + ".service.name", ""));
        } else {
            Validation.dns1035Label(path + ".service.name", name, errors);
        }
        String portName = service.path("port").path("name").asText("");
        long portNumber = service.path("port").path("number").asLong(0);
        if (!portName.isEmpty() && portNumber != 0) {
            errors.add(FieldError.invalid(path, "", "cannot set both port name & port number"));
        } else if (!portName.isEmpty()) {
            portName(path + ".service.port.name", portName, errors);
        } else if (portNumber != 0) {
            if (portNumber < 1 || portNumber > 65535) {
                errors.add(FieldError.invalidRaw(path + ".service.port.number", Long.toString(portNumber),
                        "must be between 1 and 65535, inclusive"));
            }
        } else {
            errors.add(FieldError.required(path, "port name or number is required"));
        }
    }

    /** A host of a rule or TLS entry: a DNS subdomain, or a wildcard one ({@code *.example.com}). */
    private static void validateHost(String host, String path, List<FieldError> errors) {
        if (host.contains("*")) {
            if (host.length() > 253) {
                errors.add(FieldError.invalid(path, host, "must be no more than 253 characters"));
            }
            if (!WILDCARD_DNS1123_SUBDOMAIN.matcher(host).matches()) {
                errors.add(FieldError.invalid(path, host, "a wildcard DNS-1123 subdomain must start with '*.', "
                        + "followed by a valid DNS subdomain, which must consist of lower case alphanumeric "
                        + "characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex "
                        + "used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                        + "[a-z0-9])?)*')"));
            }
        } else {
            Validation.dns1123Subdomain(path, host, errors);
        }
    }

    /** kube's {@code IsValidPortName}. */
    static void portName(String path, String name, List<FieldError> errors) {
        if (name.length() > 15) {
            errors.add(FieldError.invalid(path, name, "must be no more than 15 characters"));
        }
        if (!PORT_NAME_CHARS.matcher(name).matches()) {
            errors.add(FieldError.invalid(path, name,
                    "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
        } else if (!name.matches(".*[a-z].*")) {
            errors.add(FieldError.invalid(path, name, "must contain at least one letter (a-z)"));
        } else if (name.contains("--")) {
            errors.add(FieldError.invalid(path, name, "must not contain consecutive hyphens"));
        } else if (name.startsWith("-") || name.endsWith("-")) {
            errors.add(FieldError.invalid(path, name, "must not begin or end with a hyphen"));
        }
    }

    /** kube's {@code IsDomainPrefixedPath}: {@code example.com/path}. */
    private static void domainPrefixedPath(String path, String value, List<FieldError> errors) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            errors.add(FieldError.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
            return;
        }
        Validation.dns1123Subdomain(path, value.substring(0, slash), errors);
        String rest = value.substring(slash + 1);
        if (!rest.matches("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")) {
            errors.add(FieldError.invalid(path, rest,
                    "Invalid path: regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+'"));
        }
    }

    private static boolean isIp(String s) {
        return Cidr.parseAddress(s) != null;
    }

    private static List<String> texts(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** An IPv4 or IPv6 CIDR block, parsed without name lookups. */
    record Cidr(BigInteger network, int prefix, int bits) {

        static final String INVALID = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            if (slash < 0) {
                return null;
            }
            byte[] address = parseAddress(s.substring(0, slash));
            if (address == null) {
                return null;
            }
            int prefix;
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            int bits = address.length * 8;
            if (prefix < 0 || prefix > bits) {
                return null;
            }
            BigInteger value = new BigInteger(1, address);
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new Cidr(value.and(mask), prefix, bits);
        }

        /** Whether {@code other} lies inside this block and is smaller than it. */
        boolean containsStrictly(Cidr other) {
            if (other.bits != bits || other.prefix <= prefix) {
                return false;
            }
            return other.network.shiftRight(bits - prefix).equals(network.shiftRight(bits - prefix));
        }

        /** The bytes of an IPv4 or IPv6 literal, or null. */
        static byte[] parseAddress(String s) {
            java.util.regex.Matcher m = IPV4.matcher(s);
            if (m.matches()) {
                byte[] out = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(m.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    out[i] = (byte) octet;
                }
                return out;
            }
            if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
                return null;
            }
            try {
                // a literal with a colon is parsed, never looked up
                byte[] out = java.net.InetAddress.getByName(s).getAddress();
                return out.length == 16 ? out : null;
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
    }
}
