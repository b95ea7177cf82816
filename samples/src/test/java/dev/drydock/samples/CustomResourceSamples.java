package dev.drydock.samples;

/**
 * The CustomResourceDefinition both clients' tests create, and its custom resources: a namespaced {@code Widget}
 * whose schema requires {@code spec.size} (1 to 10), limits {@code spec.color} to an enum with a default, and which
 * has the status and scale subresources.
 */
final class CustomResourceSamples {

    static final String GROUP = "samples.drydock.dev";
    static final String VERSION = "v1";
    static final String PLURAL = "widgets";
    static final String KIND = "Widget";
    static final String CRD_NAME = PLURAL + "." + GROUP;

    static final String CRD = """
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
             "metadata": {"name": "widgets.samples.drydock.dev"},
             "spec": {"group": "samples.drydock.dev", "scope": "Namespaced",
                      "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                      "versions": [{"name": "v1", "served": true, "storage": true,
                          "subresources": {"status": {},
                                           "scale": {"specReplicasPath": ".spec.replicas",
                                                     "statusReplicasPath": ".status.replicas",
                                                     "labelSelectorPath": ".status.selector"}},
                          "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                              "spec": {"type": "object", "required": ["size"], "properties": {
                                  "size": {"type": "integer", "minimum": 1, "maximum": 10},
                                  "color": {"type": "string", "enum": ["blue", "green"], "default": "blue"},
                                  "replicas": {"type": "integer"}}},
                              "status": {"type": "object", "properties": {
                                  "phase": {"type": "string"},
                                  "replicas": {"type": "integer"},
                                  "selector": {"type": "string"}}}}}}}]}}""";

    private CustomResourceSamples() {
    }

    /** A widget named {@code name} in {@code namespace} with this spec (JSON object text). */
    static String widget(String namespace, String name, String spec) {
        return """
                {"apiVersion": "samples.drydock.dev/v1", "kind": "Widget",
                 "metadata": {"name": "%s", "namespace": "%s"}, "spec": %s}""".formatted(name, namespace, spec);
    }
}
