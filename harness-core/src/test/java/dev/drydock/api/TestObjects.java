package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;

/** Builders of the Kubernetes objects the API tests create, valid unless a test breaks them on purpose. */
final class TestObjects {

    private TestObjects() {
    }

    static Builder pod(String name) {
        Builder b = new Builder("v1", "Pod", name);
        b.obj.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "nginx:1.27");
        return b;
    }

    static Builder namespace(String name) {
        return new Builder("v1", "Namespace", name);
    }

    static Builder node(String name) {
        return new Builder("v1", "Node", name);
    }

    /** A deployment whose selector and template labels are both {@code app=<name>}. */
    static Builder deployment(String name) {
        Builder b = new Builder("apps/v1", "Deployment", name);
        ObjectNode spec = b.obj.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "nginx:1.27");
        return b;
    }

    /** A fluent wrapper of one object under construction. */
    static final class Builder {
        final ObjectNode obj = Json.object();

        Builder(String apiVersion, String kind, String name) {
            obj.put("apiVersion", apiVersion);
            obj.put("kind", kind);
            ObjectNode meta = obj.putObject("metadata");
            if (name != null) {
                meta.put("name", name);
            }
        }

        /** Labels as key, value, key, value... */
        Builder labels(String... kv) {
            ObjectNode labels = Json.with(obj, "metadata", "labels");
            for (int i = 0; i < kv.length; i += 2) {
                labels.put(kv[i], kv[i + 1]);
            }
            return this;
        }

        Builder generateName(String prefix) {
            ObjectNode meta = Json.with(obj, "metadata");
            meta.remove("name");
            meta.put("generateName", prefix);
            return this;
        }

        Builder finalizers(String... names) {
            var array = Json.with(obj, "metadata").putArray("finalizers");
            for (String n : names) {
                array.add(n);
            }
            return this;
        }

        Builder set(String path, JsonNode value) {
            String[] parts = path.split("\\.");
            ObjectNode parent = obj;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = Json.with(parent, parts[i]);
            }
            parent.set(parts[parts.length - 1], value);
            return this;
        }

        Builder set(String path, String value) {
            return set(path, Json.object().textNode(value));
        }

        ObjectNode build() {
            return obj.deepCopy();
        }
    }
}
