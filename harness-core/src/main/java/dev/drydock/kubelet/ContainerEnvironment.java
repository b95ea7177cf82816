package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerResources;
import dev.drydock.runtime.Mount;
import dev.drydock.runtime.RuntimeError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the kubelet turns a pod's container into what the runtime creates (kube's {@code generateContainerConfig}):
 * its environment ({@code makeEnvironmentVariables}: {@code envFrom}, then {@code env} with {@code $(VAR)}
 * expansion, ConfigMap and Secret keys, the downward API, resource fields, then the Services' variables), its
 * command and args expanded, its
 * volumes as files ({@code configMap}, {@code secret}, {@code downwardAPI}, {@code projected}, {@code emptyDir}) and
 * its requests and limits.
 * <p>
 * ConfigMaps and Secrets are read through the kubelet's client when a container that references them is created;
 * those that volumes mount are then watched one by one ({@link MountedObjects}), so that a change rewrites the
 * mounted files. A node watches nothing its pods do not mount. What is missing gives a {@link RuntimeError}: reason
 * {@code CreateContainerConfigError} for the environment (kube's messages, e.g. {@code configmap "x" not found}), or
 * {@link #FAILED_MOUNT} for a volume; the kubelet tries again later, so the container starts once it appears.
 */
final class ContainerEnvironment implements AutoCloseable {

    /** The reason of an error that kube reports as a {@code FailedMount} event while the pod waits. */
    static final String FAILED_MOUNT = "FailedMount";
    static final String CONFIG_ERROR = "CreateContainerConfigError";

    static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    static final Resource SECRETS = new Resource("", "v1", "secrets", "Secret", true);

    /** kube's {@code IsEnvVarName}. */
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern LABEL_REF = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");
    /** kube's {@code configMapVolume} and {@code secretVolume} default mode, 0644. */
    private static final int DEFAULT_MODE = 0644;

    private final KubeClient client;
    private final Informer services;
    private final NodeConfig node;
    private final EventRecorder events;
    private final Kubelet kubelet;
    private final java.util.concurrent.Executor workers;
    private final MountedObjects mounted;

    /**
     * @param timers   for the watches of mounted ConfigMaps and Secrets; null with {@code kubelet}: none
     * @param kubelet  whose pods' mounted files are rewritten when what they mount changes
     * @param services the kubelet's informer of every Service (indexed by namespace), which the Services'
     *                 variables are read from, as kube's kubelet reads its Service lister
     */
    ContainerEnvironment(KubeClient client, NodeConfig node, EventRecorder events, dev.drydock.base.Timers timers,
                         java.util.concurrent.Executor workers, Kubelet kubelet, Informer services) {
        this.client = client;
        this.services = services;
        this.workers = workers;
        this.node = node;
        this.events = events;
        this.kubelet = kubelet;
        this.mounted = kubelet == null ? null : new MountedObjects(client, timers, this::refreshLater,
                key -> kubelet.pod(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)) != null);
    }

    /** Stops watching what pods mount. */
    @Override
    public void close() {
        if (mounted != null) {
            mounted.close();
        }
    }

    /**
     * The kubelet's pod changed: if its labels or annotations did and a downwardAPI volume (or projection) shows
     * them, its files are rewritten, as kube's volume manager does.
     */
    void podUpdated(ObjectNode oldPod, ObjectNode newPod) {
        JsonNode before = oldPod.path("metadata");
        JsonNode after = newPod.path("metadata");
        if (kubelet == null || before.path("labels").equals(after.path("labels"))
                && before.path("annotations").equals(after.path("annotations"))) {
            return;
        }
        boolean downward = false;
        for (JsonNode v : newPod.path("spec").path("volumes")) {
            downward |= v.has("downwardAPI");
            for (JsonNode source : v.path("projected").path("sources")) {
                downward |= source.has("downwardAPI");
            }
        }
        if (downward) {
            refreshLater(Json.key(newPod));
        }
    }

    /** {@link #refresh} on the workers: not on the watch's delivery, which must not wait for reads. */
    private void refreshLater(String key) {
        try {
            workers.execute(() -> refresh(key));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the cluster is closing
        }
    }

    /**
     * A ConfigMap or Secret that the pod of {@code key} mounts changed: the files of its running containers' volumes
     * are rewritten, as kube's volume manager does (not those mounted by {@code subPath}, nor the environment). If
     * a volume cannot be set up now (its ConfigMap went away), the files stay as they were, as on kube.
     */
    private void refresh(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        ObjectNode pod = kubelet.pod(ns, name);
        String sandbox = kubelet.sandboxOf(ns, name);
        if (pod == null || sandbox == null) {
            return;
        }
        dev.drydock.runtime.PodSandboxStatus status = kubelet.runtime().podSandboxStatus(sandbox);
        String podIp = status == null ? null : status.ip();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                String id = kubelet.containerId(ns, name, c.path("name").asText());
                if (id == null || !c.has("volumeMounts")) {
                    continue;
                }
                try {
                    kubelet.runtime().updateMounts(id, mounts(pod, c, podIp, new Reads(ns)));
                } catch (RuntimeException e) {
                    // a volume that cannot be set up, or a read that failed: the files stay; the next change retries
                    org.slf4j.LoggerFactory.getLogger(ContainerEnvironment.class).debug(
                            "node {}: the volumes of {} stay as they were: {}", node.name(), key, e.toString());
                }
            }
        }
    }

    /** Whether a sync should try again after {@code e}: what was missing may appear. */
    static boolean retries(RuntimeError e) {
        return e.reason().equals(CONFIG_ERROR) || e.reason().equals(FAILED_MOUNT);
    }

    /**
     * The runtime's config of container {@code c} of {@code pod}, whose sandbox has {@code podIp} (null if none).
     *
     * @throws RuntimeError {@code CreateContainerConfigError} or {@link #FAILED_MOUNT}, with kube's message
     */
    ContainerConfig config(ObjectNode pod, JsonNode c, String podIp) {
        Reads reads = new Reads(Json.namespace(pod));
        List<Mount> mounts = mounts(pod, c, podIp, reads);
        Map<String, String> env = env(pod, c, podIp, reads);
        if (mounted != null) {
            mounted.track(Json.key(pod), reads.mounted);
        }
        List<String> command = new ArrayList<>();
        c.path("command").forEach(x -> command.add(expand(x.asText(), env)));
        List<String> args = new ArrayList<>();
        c.path("args").forEach(x -> args.add(expand(x.asText(), env)));
        return new ContainerConfig(c.path("name").asText(), c.path("image").asText(), Kubelet.pullPolicy(c),
                command, args, env, c.path("stdin").asBoolean(), c.path("stdinOnce").asBoolean(),
                c.path("tty").asBoolean(), mounts, resources(c));
    }

    // ---- environment

    /**
     * kube's {@code makeEnvironmentVariables}: {@code envFrom} first, then {@code env} in order (a {@code $(VAR)}
     * in a value reads those before it, then the Services' variables), then the Services' variables that neither
     * defined ({@link #serviceEnv}).
     */
    Map<String, String> env(ObjectNode pod, JsonNode c, String podIp, Reads reads) {
        String ns = Json.namespace(pod);
        Map<String, String> services = reads.serviceEnv(pod.path("spec").path("enableServiceLinks").asBoolean(true));
        Map<String, String> env = new LinkedHashMap<>();
        Function<String, String> lookup = key -> {
            String v = env.get(key);
            return v != null ? v : services.get(key);
        };
        for (JsonNode from : c.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            boolean configMap = from.has("configMapRef");
            JsonNode ref = configMap ? from.path("configMapRef") : from.path("secretRef");
            if (ref.isMissingNode()) {
                continue;
            }
            String name = ref.path("name").asText();
            boolean optional = ref.path("optional").asBoolean(false);
            ObjectNode obj = configMap ? reads.configMap(name) : reads.secret(name);
            if (obj == null) {
                if (optional) {
                    continue;
                }
                throw new RuntimeError(CONFIG_ERROR, (configMap ? "configmap" : "secret") + " \"" + name
                        + "\" not found");
            }
            TreeSet<String> invalid = new TreeSet<>();
            Map<String, String> data = configMap ? stringMap(obj.path("data")) : secretData(obj);
            data.forEach((k, v) -> {
                String key = prefix + k;
                if (!ENV_VAR_NAME.matcher(key).matches()) {
                    invalid.add(key);
                    return;
                }
                env.put(key, v);
            });
            if (!invalid.isEmpty()) {
                events.warning(pod, "InvalidEnvironmentVariableNames", "Keys [" + String.join(", ", invalid)
                        + "] from the EnvFrom " + (configMap ? "configMap " : "secret ") + ns + "/" + name
                        + " were skipped since they are considered invalid environment variable names.");
            }
        }
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            JsonNode from = e.path("valueFrom");
            String value = e.path("value").asText("");
            if (!value.isEmpty() || from.isMissingNode() || from.isNull()) {
                env.put(name, expand(value, lookup));
                continue;
            }
            String resolved;
            if (from.has("fieldRef")) {
                resolved = field(pod, from.path("fieldRef").path("fieldPath").asText(), podIp);
            } else if (from.has("resourceFieldRef")) {
                resolved = resourceField(pod, c, from.path("resourceFieldRef"));
            } else if (from.has("configMapKeyRef") || from.has("secretKeyRef")) {
                boolean configMap = from.has("configMapKeyRef");
                JsonNode ref = from.path(configMap ? "configMapKeyRef" : "secretKeyRef");
                String refName = ref.path("name").asText();
                String key = ref.path("key").asText();
                boolean optional = ref.path("optional").asBoolean(false);
                ObjectNode obj = configMap ? reads.configMap(refName) : reads.secret(refName);
                if (obj == null) {
                    if (optional) {
                        continue;
                    }
                    throw new RuntimeError(CONFIG_ERROR, (configMap ? "configmap" : "secret") + " \"" + refName
                            + "\" not found");
                }
                resolved = (configMap ? stringMap(obj.path("data")) : secretData(obj)).get(key);
                if (resolved == null) {
                    if (optional) {
                        continue;
                    }
                    throw new RuntimeError(CONFIG_ERROR, "couldn't find key " + key + " in "
                            + (configMap ? "ConfigMap " : "Secret ") + ns + "/" + refName);
                }
            } else {
                resolved = "";
            }
            env.put(name, resolved);
        }
        services.forEach(env::putIfAbsent);
        return env;
    }

    /**
     * The variables of the Services a container sees (kube's {@code getServiceEnvVarMap} and
     * {@code envvars.FromServices}): those of the master Service {@code default/kubernetes} always, and with
     * {@code enableServiceLinks} those of every Service of {@code services} (the pod's namespace's), which win over
     * the master's of the same name. Services without a cluster IP (headless, {@code ExternalName}) have none.
     * Each has {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT} (its first port), one
     * {@code <NAME>_SERVICE_PORT_<PORT NAME>} per named port, and Docker links' {@code <NAME>_PORT} and
     * {@code <NAME>_PORT_<port>_<PROTOCOL>[_PROTO|_PORT|_ADDR]}; a name is upper-cased with {@code -} as {@code _}.
     */
    static Map<String, String> serviceEnv(ObjectNode master, List<ObjectNode> services) {
        Map<String, ObjectNode> byName = new TreeMap<>();
        if (master != null) {
            byName.put(Json.name(master), master);
        }
        for (ObjectNode svc : services) {
            byName.put(Json.name(svc), svc);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (ObjectNode svc : byName.values()) {
            JsonNode spec = svc.path("spec");
            String ip = spec.path("clusterIP").asText("");
            JsonNode ports = spec.path("ports");
            if (ip.isEmpty() || ip.equals("None") || ports.isEmpty()) {
                continue;
            }
            String prefix = Json.name(svc).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            env.put(prefix + "_SERVICE_HOST", ip);
            String port = prefix + "_SERVICE_PORT";
            env.put(port, ports.get(0).path("port").asText());
            for (JsonNode p : ports) {
                String portName = p.path("name").asText("");
                if (!portName.isEmpty()) {
                    env.put(port + "_" + portName.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                            p.path("port").asText());
                }
            }
            String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip; // Go's net.JoinHostPort
            for (int i = 0; i < ports.size(); i++) {
                JsonNode p = ports.get(i);
                String protocol = p.path("protocol").asText("");
                protocol = protocol.isEmpty() ? "TCP" : protocol;
                String lower = protocol.toLowerCase(java.util.Locale.ROOT);
                String number = p.path("port").asText();
                String url = lower + "://" + host + ":" + number;
                if (i == 0) {
                    env.put(prefix + "_PORT", url);
                }
                String each = prefix + "_PORT_" + number + "_" + protocol.toUpperCase(java.util.Locale.ROOT);
                env.put(each, url);
                env.put(each + "_PROTO", lower);
                env.put(each + "_PORT", number);
                env.put(each + "_ADDR", ip);
            }
        }
        return env;
    }

    /**
     * kube's {@code expansion.Expand}: {@code $(NAME)} becomes the variable's value if it is defined, and stays as
     * written if not; {@code $$} is an escaped {@code $}; any other {@code $} is kept.
     */
    static String expand(String input, Map<String, String> vars) {
        return expand(input, (Function<String, String>) vars::get);
    }

    /** {@link #expand(String, Map)} with the variables' values from {@code vars} (null: not defined). */
    static String expand(String input, Function<String, String> vars) {
        if (input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        int n = input.length();
        while (i < n) {
            char ch = input.charAt(i);
            if (ch != '$' || i + 1 >= n) {
                out.append(ch);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$("); // unterminated: kept as written, and what follows read on
                    i += 2;
                    continue;
                }
                String name = input.substring(i + 2, close);
                String value = vars.apply(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(ch).append(next);
                i += 2;
            }
        }
        return out.toString();
    }

    /** kube's {@code podFieldSelectorRuntimeValue}: a downward API field of the pod. */
    String field(ObjectNode pod, String path, String podIp) {
        JsonNode meta = pod.path("metadata");
        java.util.regex.Matcher m = LABEL_REF.matcher(path);
        if (m.matches()) {
            return meta.path(m.group(1)).path(m.group(2)).asText("");
        }
        return switch (path) {
            case "metadata.name" -> Json.name(pod);
            case "metadata.namespace" -> Json.namespace(pod);
            case "metadata.uid" -> Json.uid(pod);
            case "metadata.labels" -> formatMap(meta.path("labels"));
            case "metadata.annotations" -> formatMap(meta.path("annotations"));
            case "spec.nodeName" -> pod.path("spec").path("nodeName").asText(node.name());
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("");
            case "status.hostIP", "status.hostIPs" -> node.internalIp();
            case "status.podIP", "status.podIPs" -> podIp == null ? "" : podIp;
            default -> throw new RuntimeError(CONFIG_ERROR, "unsupported fieldPath: " + path);
        };
    }

    /** The downward API's rendering of all labels or annotations: {@code key="value"} lines, sorted. */
    private static String formatMap(JsonNode map) {
        TreeMap<String, String> sorted = new TreeMap<>(stringMap(map));
        StringBuilder s = new StringBuilder();
        sorted.forEach((k, v) -> {
            if (!s.isEmpty()) {
                s.append('\n');
            }
            s.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        });
        return s.toString();
    }

    /**
     * kube's {@code ExtractContainerResourceValue}: a container's request or limit divided by the divisor, rounded
     * up; a limit not set is the node's allocatable, as kube's {@code MergeContainerResourceLimits} has it.
     */
    String resourceField(ObjectNode pod, JsonNode self, JsonNode ref) {
        String containerName = ref.path("containerName").asText("");
        JsonNode c = self;
        if (!containerName.isEmpty()) {
            c = null;
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode x : pod.path("spec").path(list)) {
                    if (x.path("name").asText().equals(containerName)) {
                        c = x;
                    }
                }
            }
            if (c == null) {
                throw new RuntimeError(CONFIG_ERROR, "container " + containerName + " not found in pod "
                        + Json.key(pod));
            }
        }
        String resource = ref.path("resource").asText();
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String name = dot < 0 ? resource : resource.substring(dot + 1);
        if (!kind.equals("limits") && !kind.equals("requests")
                || !List.of("cpu", "memory", "ephemeral-storage").contains(name)) {
            throw new RuntimeError(CONFIG_ERROR, "unsupported container resource : " + resource);
        }
        BigDecimal value = quantity(c, kind, name);
        if (value == null && kind.equals("requests")) {
            value = quantity(c, "limits", name); // defaulted from the limit, as the API server defaults it
        }
        if (value == null) {
            value = kind.equals("requests") ? BigDecimal.ZERO : Quantity.parse(switch (name) {
                case "cpu" -> node.cpu();
                case "memory" -> node.memory();
                default -> "100Gi";
            });
        }
        String d = ref.path("divisor").asText("");
        BigDecimal divisor = d.isEmpty() ? BigDecimal.ONE : Quantity.parse(d);
        if (divisor.signum() <= 0) {
            throw new RuntimeError(CONFIG_ERROR, "invalid divisor " + d + " of " + resource);
        }
        if (name.equals("cpu")) { // kube divides milli-values, and rounds up
            value = value.movePointRight(3).setScale(0, RoundingMode.CEILING);
            divisor = divisor.movePointRight(3).setScale(0, RoundingMode.CEILING);
        }
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static BigDecimal quantity(JsonNode c, String kind, String name) {
        JsonNode q = c.path("resources").path(kind).path(name);
        return q.isMissingNode() || q.isNull() ? null : Quantity.parse(q.asText());
    }

    /** The container's requests and limits; a request not set is its limit's, as the API server defaults it. */
    static ContainerResources resources(JsonNode c) {
        JsonNode r = c.path("resources");
        long cpuLimit = milli(r.path("limits").path("cpu"));
        long memLimit = bytes(r.path("limits").path("memory"));
        long cpuRequest = r.path("requests").has("cpu") ? milli(r.path("requests").path("cpu")) : cpuLimit;
        long memRequest = r.path("requests").has("memory") ? bytes(r.path("requests").path("memory")) : memLimit;
        return new ContainerResources(cpuRequest, cpuLimit, memRequest, memLimit);
    }

    private static long milli(JsonNode q) {
        return q.isMissingNode() || q.isNull() ? 0 : Quantity.milli(q.asText());
    }

    private static long bytes(JsonNode q) {
        return q.isMissingNode() || q.isNull() ? 0 : Quantity.value(q.asText());
    }

    // ---- volumes

    /**
     * The container's {@code volumeMounts} as the runtime's mounts, their files read now. As kube's volume manager
     * mounts every volume any container of the pod mounts before it starts one, a volume that cannot be set up holds
     * every container of the pod.
     */
    List<Mount> mounts(ObjectNode pod, JsonNode c, String podIp, Reads reads) {
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Map<String, Map<String, Mount.File>> resolved = new HashMap<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode other : pod.path("spec").path(list)) {
                for (JsonNode vm : other.path("volumeMounts")) {
                    String name = vm.path("name").asText();
                    JsonNode volume = volumes.get(name);
                    if (volume == null) {
                        throw new RuntimeError(CONFIG_ERROR, "cannot find volume \"" + name
                                + "\" to mount into container \"" + other.path("name").asText() + "\"");
                    }
                    if (!resolved.containsKey(name)) {
                        resolved.put(name, files(pod, other, volume, podIp, reads));
                    }
                }
            }
        }
        List<Mount> mounts = new ArrayList<>();
        Map<String, String> env = null;
        for (JsonNode vm : c.path("volumeMounts")) {
            String name = vm.path("name").asText();
            String subPath = vm.path("subPath").asText("");
            if (vm.has("subPathExpr")) {
                env = env != null ? env : env(pod, c, podIp, reads);
                subPath = expand(vm.path("subPathExpr").asText(), env);
            }
            mounts.add(new Mount(vm.path("mountPath").asText(), name, resolved.get(name), subPath,
                    vm.path("readOnly").asBoolean(false)));
        }
        return mounts;
    }

    /** A volume's files; null for a directory of the pod's own (emptyDir, and the kinds drydock has no storage for). */
    private Map<String, Mount.File> files(ObjectNode pod, JsonNode c, JsonNode volume, String podIp, Reads reads) {
        String name = volume.path("name").asText();
        try {
            if (volume.has("configMap")) {
                Map<String, Mount.File> files = new TreeMap<>();
                configMapFiles(volume.path("configMap"), mode(volume.path("configMap"), DEFAULT_MODE), reads, files);
                return files;
            }
            if (volume.has("secret")) {
                Map<String, Mount.File> files = new TreeMap<>();
                secretFiles(volume.path("secret"), volume.path("secret").path("secretName").asText(),
                        mode(volume.path("secret"), DEFAULT_MODE), reads, files);
                return files;
            }
            if (volume.has("downwardAPI")) {
                Map<String, Mount.File> files = new TreeMap<>();
                downwardFiles(pod, c, volume.path("downwardAPI"), mode(volume.path("downwardAPI"), DEFAULT_MODE),
                        podIp, files);
                return files;
            }
            if (volume.has("projected")) {
                return projectedFiles(pod, c, volume.path("projected"), podIp, reads);
            }
        } catch (RuntimeError e) {
            throw new RuntimeError(FAILED_MOUNT, "MountVolume.SetUp failed for volume \"" + name + "\" : "
                    + e.getMessage());
        }
        return null; // emptyDir; hostPath and claims are a directory of the pod's own too: drydock keeps no disks
    }

    private static int mode(JsonNode source, int fallback) {
        return source.path("defaultMode").asInt(fallback);
    }

    private void configMapFiles(JsonNode source, int mode, Reads reads, Map<String, Mount.File> files) {
        String name = source.path("name").asText();
        reads.mounted.add(new MountedObjects.Ref(CONFIG_MAPS, reads.namespace, name));
        ObjectNode cm = reads.configMap(name);
        boolean optional = source.path("optional").asBoolean(false);
        if (cm == null) {
            if (optional) {
                return;
            }
            throw new RuntimeError(FAILED_MOUNT, "configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        stringMap(cm.path("data")).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        cm.path("binaryData").properties().forEach(e -> data.put(e.getKey(),
                Base64.getDecoder().decode(e.getValue().asText())));
        project(source, mode, data, optional, "configmap", files);
    }

    private void secretFiles(JsonNode source, String name, int mode, Reads reads, Map<String, Mount.File> files) {
        reads.mounted.add(new MountedObjects.Ref(SECRETS, reads.namespace, name));
        ObjectNode secret = reads.secret(name);
        boolean optional = source.path("optional").asBoolean(false);
        if (secret == null) {
            if (optional) {
                return;
            }
            throw new RuntimeError(FAILED_MOUNT, "secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        secret.path("data").properties().forEach(e -> data.put(e.getKey(),
                Base64.getDecoder().decode(e.getValue().asText())));
        secret.path("stringData").properties().forEach(e -> data.put(e.getKey(),
                e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        project(source, mode, data, optional, "secret", files);
    }

    /** kube's {@code MakePayload}: every key as a file, or only the {@code items}, each at its path and mode. */
    private static void project(JsonNode source, int mode, Map<String, byte[]> data, boolean optional, String what,
                                Map<String, Mount.File> files) {
        if (!source.has("items") || source.path("items").isEmpty()) {
            data.forEach((k, v) -> files.put(k, new Mount.File(v, mode)));
            return;
        }
        for (JsonNode item : source.path("items")) {
            String key = item.path("key").asText();
            byte[] v = data.get(key);
            if (v == null) {
                if (optional) {
                    continue;
                }
                throw new RuntimeError(FAILED_MOUNT, what + " references non-existent " + what + " key: " + key);
            }
            files.put(item.path("path").asText(key), new Mount.File(v, item.path("mode").asInt(mode)));
        }
    }

    private void downwardFiles(ObjectNode pod, JsonNode c, JsonNode source, int mode, String podIp,
                               Map<String, Mount.File> files) {
        for (JsonNode item : source.path("items")) {
            String value = item.has("fieldRef")
                    ? field(pod, item.path("fieldRef").path("fieldPath").asText(), podIp)
                    : resourceField(pod, c, item.path("resourceFieldRef"));
            files.put(item.path("path").asText(), new Mount.File(value.getBytes(StandardCharsets.UTF_8),
                    item.path("mode").asInt(mode)));
        }
    }

    private Map<String, Mount.File> projectedFiles(ObjectNode pod, JsonNode c, JsonNode projected, String podIp,
                                                   Reads reads) {
        int mode = mode(projected, DEFAULT_MODE);
        Map<String, Mount.File> files = new TreeMap<>();
        for (JsonNode source : projected.path("sources")) {
            if (source.has("configMap")) {
                configMapFiles(source.path("configMap"), mode, reads, files);
            } else if (source.has("secret")) {
                secretFiles(source.path("secret"), source.path("secret").path("name").asText(), mode, reads, files);
            } else if (source.has("downwardAPI")) {
                downwardFiles(pod, c, source.path("downwardAPI"), mode, podIp, files);
            } else if (source.has("serviceAccountToken")) {
                // drydock issues no ServiceAccount tokens yet: a placeholder a behaviour can read
                String sa = pod.path("spec").path("serviceAccountName").asText("default");
                String token = "drydock-placeholder-token:system:serviceaccount:" + Json.namespace(pod) + ":" + sa;
                files.put(source.path("serviceAccountToken").path("path").asText("token"),
                        new Mount.File(token.getBytes(StandardCharsets.UTF_8), mode));
            }
        }
        return files;
    }

    // ---- reading

    private static Map<String, String> stringMap(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** A Secret's data, decoded, as the kubelet hands it to env. */
    private static Map<String, String> secretData(ObjectNode secret) {
        Map<String, String> out = new LinkedHashMap<>();
        secret.path("data").properties().forEach(e -> out.put(e.getKey(),
                new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
        secret.path("stringData").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The ConfigMaps and Secrets one container's config reads, each read once. */
    final class Reads {
        private final String namespace;
        private final Map<String, ObjectNode> read = new HashMap<>();
        /** The ConfigMaps and Secrets that volumes mount. */
        final java.util.Set<MountedObjects.Ref> mounted = new java.util.HashSet<>();
        private Map<String, String> serviceEnv;

        Reads(String namespace) {
            this.namespace = namespace;
        }

        ObjectNode configMap(String name) {
            return get(CONFIG_MAPS, name);
        }

        ObjectNode secret(String name) {
            return get(SECRETS, name);
        }

        /**
         * {@link #serviceEnv} of the master Service and, with {@code enableServiceLinks}, the namespace's Services,
         * from the kubelet's Service informer as the container is made (kube's kubelet reads its Service lister):
         * a node cut off from the API server still makes containers, with the Services it knew. Until that informer
         * has listed once, no container can be made, as in kube.
         */
        Map<String, String> serviceEnv(boolean enableServiceLinks) {
            if (serviceEnv == null) {
                serviceEnv = readServiceEnv(enableServiceLinks);
            }
            return serviceEnv;
        }

        private Map<String, String> readServiceEnv(boolean enableServiceLinks) {
            if (!services.hasSynced()) {
                throw new RuntimeError(CONFIG_ERROR,
                        "services have not yet been read at least once, cannot construct envvars");
            }
            List<ObjectNode> inNamespace = enableServiceLinks
                    ? new ArrayList<>(services.byIndex(Informer.BY_NAMESPACE, namespace)) : new ArrayList<>();
            inNamespace.sort(java.util.Comparator.comparing(Json::name));
            return ContainerEnvironment.serviceEnv(services.get("default", "kubernetes"), inNamespace);
        }

        private ObjectNode get(Resource r, String name) {
            String key = r.plural() + "/" + name;
            if (read.containsKey(key)) {
                return read.get(key);
            }
            ObjectNode obj = client.find(r, namespace, name);
            read.put(key, obj);
            return obj;
        }
    }
}
