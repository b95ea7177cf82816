package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Services as kube's registry serves them: the defaults of {@code SetDefaults_Service}, the status cleared on create,
 * names that are RFC 1035 labels, {@code ValidateService} and {@code ValidateServiceUpdate} (cluster IPs may not
 * change once set), and the cluster IPs and node ports each Service holds (its claims). Allocation itself is
 * {@link ServiceAllocation}'s.
 */
final class ServiceStrategy implements KindStrategy {

    static final String CLUSTER_IP = "ClusterIP";
    static final String NODE_PORT = "NodePort";
    static final String LOAD_BALANCER = "LoadBalancer";
    static final String EXTERNAL_NAME = "ExternalName";
    static final String NONE = "None";
    /** kube's {@code DefaultClientIPServiceAffinitySeconds} and {@code MaxClientIPServiceAffinitySeconds}. */
    private static final int DEFAULT_AFFINITY_SECONDS = 10800;
    private static final int MAX_AFFINITY_SECONDS = 86400;
    private static final Set<String> PROTOCOLS = Set.of("SCTP", "TCP", "UDP");

    /** kube's service storage sets {@code ReturnDeletedObject}: a delete answers the Service, not a Status. */
    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public void validateName(String field, String name, List<FieldError> errors) {
        Validation.dns1035Label(field, name, errors); // ValidateServiceName = NameIsDNS1035Label
    }

    @Override
    public void defaults(ObjectNode svc) {
        ObjectNode spec = Json.with(svc, "spec");
        if (text(spec, "sessionAffinity").isEmpty()) {
            spec.put("sessionAffinity", NONE);
        }
        if (text(spec, "sessionAffinity").equals(NONE)) {
            spec.remove("sessionAffinityConfig");
        } else if (text(spec, "sessionAffinity").equals("ClientIP")
                && !Json.with(spec, "sessionAffinityConfig", "clientIP").hasNonNull("timeoutSeconds")) {
            Json.with(spec, "sessionAffinityConfig", "clientIP").put("timeoutSeconds", DEFAULT_AFFINITY_SECONDS);
        }
        if (text(spec, "type").isEmpty()) {
            spec.put("type", CLUSTER_IP);
        }
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                if (text(port, "protocol").isEmpty()) {
                    port.put("protocol", "TCP");
                }
                JsonNode target = port.get("targetPort");
                // intstr.FromInt32(0) and FromString("") are "unset": the target is the port itself.
                if (target == null || target.isNull() || target.isNumber() && target.asLong() == 0
                        || target.isTextual() && target.asText().isEmpty()) {
                    port.set("targetPort", port.path("port").isNumber() ? port.get("port") : Json.object().numberNode(0));
                }
            }
        }
        String type = text(spec, "type");
        if (externallyAccessible(svc) && text(spec, "externalTrafficPolicy").isEmpty()) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        if (!spec.hasNonNull("internalTrafficPolicy")
                && (type.equals(NODE_PORT) || type.equals(LOAD_BALANCER) || type.equals(CLUSTER_IP))) {
            spec.put("internalTrafficPolicy", "Cluster");
        }
        if (type.equals(LOAD_BALANCER) && !spec.hasNonNull("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode ingress : svc.path("status").path("loadBalancer").path("ingress")) {
            if (ingress instanceof ObjectNode i && !text(i, "ip").isEmpty() && !i.hasNonNull("ipMode")) {
                i.put("ipMode", "VIP");
            }
        }
    }

    @Override
    public void prepareForCreate(ObjectNode svc) {
        svc.putObject("status").putObject("loadBalancer"); // the status is the controllers' to write
    }

    @Override
    public Set<String> claims(ObjectNode svc) {
        Set<String> claims = new TreeSet<>();
        if (!type(svc).equals(EXTERNAL_NAME)) {
            for (String ip : clusterIPs(svc)) {
                if (!ip.isEmpty() && !ip.equals(NONE)) {
                    claims.add("serviceips/" + ip);
                }
            }
        }
        for (JsonNode port : svc.path("spec").path("ports")) {
            if (port.path("nodePort").asLong(0) > 0) {
                claims.add("servicenodeports/" + port.path("nodePort").asLong());
            }
        }
        long healthCheck = svc.path("spec").path("healthCheckNodePort").asLong(0);
        if (healthCheck > 0) {
            claims.add("servicenodeports/" + healthCheck);
        }
        return claims;
    }

    @Override
    public void validate(ObjectNode svc, List<FieldError> errors) {
        JsonNode spec = svc.path("spec");
        String type = text(spec, "type");
        boolean headless = isHeadless(svc);
        List<JsonNode> ports = new ArrayList<>();
        spec.path("ports").forEach(ports::add);
        if (ports.isEmpty() && !headless && !type.equals(EXTERNAL_NAME)) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        switch (type) {
            case LOAD_BALANCER, NODE_PORT -> {
                if (headless) {
                    errors.add(FieldError.invalid("spec.clusterIPs[0]", NONE, "may not be set to 'None' for "
                            + type + " services"));
                }
            }
            case EXTERNAL_NAME -> {
                if (!clusterIPs(svc).isEmpty()) {
                    errors.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
                }
                if (spec.path("ipFamilies").size() > 0) {
                    errors.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
                }
                if (spec.hasNonNull("ipFamilyPolicy")) {
                    errors.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName "
                            + "services"));
                }
                String cname = text(spec, "externalName");
                cname = cname.endsWith(".") ? cname.substring(0, cname.length() - 1) : cname;
                if (cname.isEmpty()) {
                    errors.add(FieldError.required("spec.externalName", ""));
                } else {
                    Validation.dns1123Subdomain("spec.externalName", cname, errors);
                }
            }
            default -> {
            }
        }
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            validatePort(ports.get(i), ports.size() > 1, portNames, "spec.ports[" + i + "]", errors);
        }
        if (spec.has("selector") && !spec.get("selector").isNull()) {
            Validation.labels("spec.selector", spec.get("selector"), errors);
        }
        validateSessionAffinity(spec, errors);
        validateClusterIPsRelated(svc, errors);
        int e = 0;
        for (JsonNode ip : spec.path("externalIPs")) {
            String field = "spec.externalIPs[" + e++ + "]";
            int before = errors.size();
            NetValidation.validIP(field, ip.asText(), errors);
            if (errors.size() == before) {
                NetValidation.nonSpecialIP(field, ip.asText(), errors);
            }
        }
        if (type.isEmpty()) {
            errors.add(FieldError.required("spec.type", ""));
        } else if (!Set.of(CLUSTER_IP, NODE_PORT, LOAD_BALANCER, EXTERNAL_NAME).contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, "supported values: \"ClusterIP\", "
                    + "\"ExternalName\", \"LoadBalancer\", \"NodePort\""));
        }
        validatePortUniqueness(type, ports, errors);
        validateLoadBalancerFields(svc, null, errors);
        validateTrafficPolicies(svc, errors);
    }

    @Override
    public void validateUpdate(ObjectNode svc, ObjectNode old, List<FieldError> errors) {
        validateUpgradeDowngradeClusterIPs(old, svc, errors);
        validateUpgradeDowngradeIPFamilies(old, svc, errors);
        validateLoadBalancerFields(svc, old, errors);
        if (needsHealthCheck(old) && needsHealthCheck(svc) && svc.path("spec").path("healthCheckNodePort").asLong(0)
                != old.path("spec").path("healthCheckNodePort").asLong(0)) {
            errors.add(FieldError.forbidden("spec.healthCheckNodePort", "field is immutable"));
        }
    }

    private static void validatePort(JsonNode port, boolean requireName, Set<String> names, String path,
                                     List<FieldError> errors) {
        String name = text(port, "name");
        if (requireName && name.isEmpty()) {
            errors.add(FieldError.required(path + ".name", ""));
        } else if (!name.isEmpty()) {
            Validation.dns1123Label(path + ".name", name, errors);
            if (!names.add(name)) {
                errors.add(FieldError.duplicate(path + ".name", name));
            }
        }
        NetValidation.portNum(path + ".port", port.path("port").asLong(0), errors);
        String protocol = text(port, "protocol");
        if (protocol.isEmpty()) {
            errors.add(FieldError.required(path + ".protocol", ""));
        } else if (!PROTOCOLS.contains(protocol)) {
            errors.add(FieldError.notSupported(path + ".protocol", protocol,
                    "supported values: \"SCTP\", \"TCP\", \"UDP\""));
        }
        NetValidation.portNumOrName(path + ".targetPort", port.get("targetPort"), errors);
        if (port.hasNonNull("appProtocol")) {
            Validation.qualifiedName(path + ".appProtocol", port.path("appProtocol").asText(), errors);
        }
    }

    private static void validateSessionAffinity(JsonNode spec, List<FieldError> errors) {
        String affinity = text(spec, "sessionAffinity");
        if (affinity.isEmpty()) {
            errors.add(FieldError.required("spec.sessionAffinity", ""));
        } else if (!affinity.equals("ClientIP") && !affinity.equals(NONE)) {
            errors.add(FieldError.notSupported("spec.sessionAffinity", affinity,
                    "supported values: \"ClientIP\", \"None\""));
        }
        JsonNode config = spec.get("sessionAffinityConfig");
        boolean configSet = config != null && !config.isNull();
        if (affinity.equals("ClientIP")) {
            String why = "when session affinity type is ClientIP";
            if (!configSet) {
                errors.add(FieldError.required("spec.sessionAffinityConfig", why));
            } else if (!config.hasNonNull("clientIP")) {
                errors.add(FieldError.required("spec.sessionAffinityConfig.clientIP", why));
            } else if (!config.path("clientIP").hasNonNull("timeoutSeconds")) {
                errors.add(FieldError.required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", why));
            } else {
                long timeout = config.path("clientIP").path("timeoutSeconds").asLong();
                if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
                    errors.add(FieldError.invalidRaw("spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                            Long.toString(timeout), "must be greater than 0 and less than " + MAX_AFFINITY_SECONDS));
                }
            }
        } else if (affinity.equals(NONE) && configSet) {
            errors.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity "
                    + "is None"));
        }
    }

    /** kube's {@code ValidateServiceClusterIPsRelatedFields}, which allocation runs first too. */
    static void validateClusterIPsRelated(ObjectNode svc, List<FieldError> errors) {
        JsonNode spec = svc.path("spec");
        if (type(svc).equals(EXTERNAL_NAME)) {
            return;
        }
        String clusterIP = text(spec, "clusterIP");
        List<String> ips = clusterIPs(svc);
        String printed = FieldError.goStrings(clusterIPsOrNull(svc));
        if (!clusterIP.isEmpty()) {
            if (ips.isEmpty()) {
                errors.add(FieldError.required("spec.clusterIPs", ""));
            } else if (!ips.get(0).equals(clusterIP)) {
                errors.add(FieldError.invalidRaw("spec.clusterIPs", printed, "first value must match `clusterIP`"));
            }
        } else if (!ips.isEmpty()) {
            errors.add(FieldError.invalidRaw("spec.clusterIPs", printed, "must be empty when `clusterIP` is not "
                    + "specified"));
        }
        List<String> families = ipFamilies(svc);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String family = families.get(i);
            if (!family.equals("IPv4") && !family.equals("IPv6")) {
                errors.add(FieldError.notSupported("spec.ipFamilies[" + i + "]", family,
                        "supported values: \"IPv4\", \"IPv6\""));
            }
            if (!seen.add(family)) {
                errors.add(FieldError.duplicate("spec.ipFamilies[" + i + "]", family));
            }
        }
        String policy = text(spec, "ipFamilyPolicy");
        if (spec.hasNonNull("ipFamilyPolicy")
                && !Set.of("SingleStack", "PreferDualStack", "RequireDualStack").contains(policy)) {
            errors.add(FieldError.notSupported("spec.ipFamilyPolicy", policy,
                    "supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\""));
        }
        boolean invalidIPs = false;
        for (int i = 0; i < ips.size(); i++) {
            if (i == 0 && ips.get(0).equals(NONE)) {
                if (ips.size() > 1) {
                    invalidIPs = true;
                    errors.add(FieldError.invalidRaw("spec.clusterIPs", printed, "'None' must be the first and "
                            + "only value"));
                }
                continue;
            }
            int before = errors.size();
            NetValidation.validIP("spec.clusterIPs[" + i + "]", ips.get(i), errors);
            invalidIPs |= errors.size() != before;
        }
        if (ips.size() > 2) {
            errors.add(FieldError.invalidRaw("spec.clusterIPs", printed, "may only hold up to 2 values"));
        }
        if (invalidIPs) {
            return;
        }
        if (ips.size() > 1 && NetValidation.isIPv6(ips.get(0)) == NetValidation.isIPv6(ips.get(1))) {
            errors.add(FieldError.invalidRaw("spec.clusterIPs", printed, "may specify no more than one IP for "
                    + "each IP family"));
        }
        if (!isHeadless(svc)) {
            for (int i = 0; i < ips.size() && i < families.size(); i++) {
                boolean v6 = NetValidation.isIPv6(ips.get(i));
                if (families.get(i).equals("IPv4") && v6 || families.get(i).equals("IPv6") && !v6) {
                    errors.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ips.get(i), "expected an "
                            + families.get(i) + " value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }
    }

    private static void validatePortUniqueness(String type, List<JsonNode> ports, List<FieldError> errors) {
        if (type.equals(CLUSTER_IP)) {
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).path("nodePort").asLong(0) != 0) {
                    errors.add(FieldError.forbidden("spec.ports[" + i + "].nodePort",
                            "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            long nodePort = ports.get(i).path("nodePort").asLong(0);
            if (nodePort != 0 && !nodePorts.add(text(ports.get(i), "protocol") + "/" + nodePort)) {
                errors.add(FieldError.duplicateRaw("spec.ports[" + i + "].nodePort", Long.toString(nodePort)));
            }
        }
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            String protocol = text(ports.get(i), "protocol");
            long port = ports.get(i).path("port").asLong(0);
            if (!numbers.add(protocol + "/" + port)) {
                // kube reports the (protocol, port) key as the Go struct it is.
                errors.add(FieldError.duplicateRaw("spec.ports[" + i + "]", "core.ServicePort{Name:\"\", Protocol:"
                        + FieldError.goQuote(protocol) + ", AppProtocol:(*string)(nil), Port:" + port
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
            }
        }
    }

    private static void validateLoadBalancerFields(ObjectNode svc, ObjectNode old, List<FieldError> errors) {
        JsonNode spec = svc.path("spec");
        boolean loadBalancer = type(svc).equals(LOAD_BALANCER);
        if (old != null) {
            String was = old.path("spec").hasNonNull("loadBalancerClass")
                    ? old.path("spec").path("loadBalancerClass").asText() : null;
            String is = spec.hasNonNull("loadBalancerClass") ? spec.path("loadBalancerClass").asText() : null;
            if (type(old).equals(LOAD_BALANCER) && loadBalancer && !Objects.equals(was, is)) {
                errors.add(is == null ? FieldError.invalidRaw("spec.loadBalancerClass", "null", "may not change "
                        + "once set") : FieldError.invalid("spec.loadBalancerClass", is, "may not change once set"));
            }
            return;
        }
        if (spec.path("loadBalancerSourceRanges").size() > 0) {
            if (!loadBalancer) {
                errors.add(FieldError.forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is "
                        + "'LoadBalancer'"));
            }
            int i = 0;
            for (JsonNode range : spec.path("loadBalancerSourceRanges")) {
                String cidr = range.asText().trim();
                String field = "spec.LoadBalancerSourceRanges[" + i++ + "]";
                if (!validCidr(cidr)) {
                    errors.add(FieldError.invalid(field, cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                            + "2001:db8::/64)"));
                }
            }
        }
        if (spec.hasNonNull("allocateLoadBalancerNodePorts") && !loadBalancer) {
            errors.add(FieldError.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is "
                    + "'LoadBalancer'"));
        }
        if (spec.hasNonNull("loadBalancerClass")) {
            if (!loadBalancer) {
                errors.add(FieldError.forbidden("spec.loadBalancerClass", "may only be used when `type` is "
                        + "'LoadBalancer'"));
            }
            Validation.qualifiedName("spec.loadBalancerClass", spec.path("loadBalancerClass").asText(), errors);
        }
    }

    private static void validateTrafficPolicies(ObjectNode svc, List<FieldError> errors) {
        JsonNode spec = svc.path("spec");
        String external = text(spec, "externalTrafficPolicy");
        if (!externallyAccessible(svc)) {
            if (!external.isEmpty()) {
                errors.add(FieldError.invalid("spec.externalTrafficPolicy", external,
                        "may only be set for externally-accessible services"));
            }
        } else if (external.isEmpty()) {
            errors.add(FieldError.required("spec.externalTrafficPolicy", ""));
        } else if (!external.equals("Cluster") && !external.equals("Local")) {
            errors.add(FieldError.notSupported("spec.externalTrafficPolicy", external,
                    "supported values: \"Cluster\", \"Local\""));
        }
        long healthCheck = spec.path("healthCheckNodePort").asLong(0);
        if (!needsHealthCheck(svc)) {
            if (healthCheck != 0) {
                errors.add(FieldError.invalidRaw("spec.healthCheckNodePort", Long.toString(healthCheck),
                        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }
        } else if (healthCheck == 0) {
            errors.add(FieldError.required("spec.healthCheckNodePort", ""));
        } else {
            NetValidation.portNum("spec.healthCheckNodePort", healthCheck, errors);
        }
        String type = type(svc);
        if (!spec.hasNonNull("internalTrafficPolicy")) {
            if (type.equals(NODE_PORT) || type.equals(LOAD_BALANCER) || type.equals(CLUSTER_IP)) {
                errors.add(FieldError.required("spec.internalTrafficPolicy", ""));
            }
        } else if (!Set.of("Cluster", "Local").contains(text(spec, "internalTrafficPolicy"))) {
            errors.add(FieldError.notSupported("spec.internalTrafficPolicy", text(spec, "internalTrafficPolicy"),
                    "supported values: \"Cluster\", \"Local\""));
        }
        if (spec.hasNonNull("trafficDistribution") && !text(spec, "trafficDistribution").equals("PreferClose")) {
            errors.add(FieldError.notSupported("spec.trafficDistribution", text(spec, "trafficDistribution"),
                    "supported values: \"PreferClose\""));
        }
    }

    private static void validateUpgradeDowngradeClusterIPs(ObjectNode old, ObjectNode svc, List<FieldError> errors) {
        if (type(svc).equals(EXTERNAL_NAME) || type(old).equals(EXTERNAL_NAME)
                || isHeadless(old) && isHeadless(svc)) {
            return;
        }
        List<String> was = clusterIPs(old);
        List<String> is = clusterIPs(svc);
        String printed = FieldError.goStrings(clusterIPsOrNull(svc));
        if (was.size() == is.size()) {
            for (int i = 0; i < was.size(); i++) {
                if (!was.get(i).equals(is.get(i))) {
                    errors.add(FieldError.invalidRaw("spec.clusterIPs[" + i + "]", printed, "may not change once set"));
                }
            }
        } else if (was.size() > is.size()) {
            if (is.isEmpty()) {
                errors.add(FieldError.invalidRaw("spec.clusterIPs[0]", printed, "primary clusterIP can not be unset"));
            } else if (!is.get(0).equals(was.get(0))) {
                errors.add(FieldError.invalidRaw("spec.clusterIPs[0]", printed, "may not change once set"));
            }
            if (is.size() == 1 && !text(svc.path("spec"), "ipFamilyPolicy").equals("SingleStack")) {
                errors.add(policyError(svc, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        } else if (!was.isEmpty() && !is.get(0).equals(was.get(0))) {
            errors.add(FieldError.invalidRaw("spec.clusterIPs[0]", printed, "may not change once set"));
        }
    }

    private static void validateUpgradeDowngradeIPFamilies(ObjectNode old, ObjectNode svc, List<FieldError> errors) {
        if (type(svc).equals(EXTERNAL_NAME) || type(old).equals(EXTERNAL_NAME) || isHeadless(svc)
                || isHeadless(old)) {
            return;
        }
        List<String> was = ipFamilies(old);
        List<String> is = ipFamilies(svc);
        String families = FieldError.goSlice("core.IPFamily", svc.path("spec").path("ipFamilies").isArray() ? is
                : null);
        String ips = FieldError.goStrings(clusterIPsOrNull(svc));
        if (was.size() == is.size()) {
            for (int i = 0; i < was.size(); i++) {
                if (!was.get(i).equals(is.get(i))) {
                    errors.add(FieldError.invalidRaw("spec.ipFamilies[0]", families, "may not change once set"));
                }
            }
        } else if (was.size() > is.size()) {
            if (clusterIPs(svc).isEmpty()) {
                errors.add(FieldError.invalidRaw("spec.ipFamilies[0]", families, "primary ipFamily can not be unset"));
            }
            if (!is.isEmpty() && !is.get(0).equals(was.get(0))) {
                errors.add(FieldError.invalidRaw("spec.ipFamilies[0]", ips, "may not change once set"));
            }
            if (is.size() == 1 && !text(svc.path("spec"), "ipFamilyPolicy").equals("SingleStack")) {
                errors.add(policyError(svc, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        } else if (!was.isEmpty() && !is.isEmpty() && !is.get(0).equals(was.get(0))) {
            errors.add(FieldError.invalidRaw("spec.ipFamilies[0]", ips, "may not change once set"));
        }
    }

    /** An error on {@code spec.ipFamilyPolicy}, a pointer kube prints as its value or {@code null}. */
    static FieldError policyError(ObjectNode svc, String detail) {
        JsonNode policy = svc.path("spec").get("ipFamilyPolicy");
        return policy == null || policy.isNull() ? FieldError.invalidRaw("spec.ipFamilyPolicy", "null", detail)
                : FieldError.invalid("spec.ipFamilyPolicy", policy.asText(), detail);
    }

    private static boolean validCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String ip = cidr.substring(0, slash);
        String bits = cidr.substring(slash + 1);
        if (bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 3) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        return NetValidation.ipv4(ip) >= 0 ? prefix <= 32 : NetValidation.isIPv6(ip) && prefix <= 128;
    }

    // ---- reading a Service as kube's helpers do

    static String type(JsonNode svc) {
        return text(svc.path("spec"), "type");
    }

    /** {@code spec.clusterIPs}, empty when absent. */
    static List<String> clusterIPs(JsonNode svc) {
        List<String> ips = new ArrayList<>();
        svc.path("spec").path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
        return ips;
    }

    /** {@code spec.clusterIPs} as the Go slice it is: null when absent. */
    static List<String> clusterIPsOrNull(JsonNode svc) {
        return svc.path("spec").path("clusterIPs").isArray() ? clusterIPs(svc) : null;
    }

    static List<String> ipFamilies(JsonNode svc) {
        List<String> families = new ArrayList<>();
        svc.path("spec").path("ipFamilies").forEach(f -> families.add(f.asText()));
        return families;
    }

    /** A headless Service: {@code clusterIPs} is exactly {@code ["None"]}. */
    static boolean isHeadless(JsonNode svc) {
        List<String> ips = clusterIPs(svc);
        return ips.size() == 1 && ips.get(0).equals(NONE);
    }

    /** kube's {@code ExternallyAccessible}: node ports, load balancers, and cluster IPs with external IPs. */
    static boolean externallyAccessible(JsonNode svc) {
        String type = type(svc);
        return type.equals(LOAD_BALANCER) || type.equals(NODE_PORT)
                || type.equals(CLUSTER_IP) && svc.path("spec").path("externalIPs").size() > 0;
    }

    /** kube's {@code NeedsHealthCheck}: a load balancer with the {@code Local} external traffic policy. */
    static boolean needsHealthCheck(JsonNode svc) {
        return type(svc).equals(LOAD_BALANCER) && text(svc.path("spec"), "externalTrafficPolicy").equals("Local");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText();
    }
}
