package dev.drydock.junit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the tests' namespaces through the cluster's API. Apart from {@link DrydockExtension} so that
 * the extension itself names no Jackson type: without Jackson on the class path, the extension still loads and
 * {@link dev.drydock.cluster.ClusterSpec#create()} says what is missing.
 */
final class TestNamespaces {

    private static final Logger LOG = LoggerFactory.getLogger(TestNamespaces.class);

    private TestNamespaces() {
    }

    /** Creates a namespace named after the test method, with the server's generated suffix; returns its name. */
    static String create(DrydockCluster cluster, Method method) {
        ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        ObjectNode meta = Json.with(ns, "metadata");
        meta.put("generateName", DrydockExtension.namespacePrefix(method.getName()) + "-");
        Json.with(meta, "annotations").put(DrydockExtension.TEST_ANNOTATION,
                method.getDeclaringClass().getName() + "#" + method.getName());
        for (int attempt = 1; ; attempt++) {
            try {
                return Json.name(cluster.client().create(Resource.NAMESPACES, null, ns));
            } catch (ApiException e) {
                // A generated name can meet an existing one; kube's clients retry such a create, so do we, a little.
                if (attempt >= 5 || !"AlreadyExists".equals(e.reason())) {
                    throw e;
                }
            }
        }
    }

    /** Deletes a test's namespace without waiting for the namespace controller to empty it. */
    static void delete(DrydockCluster cluster, String name) {
        try {
            cluster.client().delete(Resource.NAMESPACES, null, name);
        } catch (ApiException e) {
            // Gone or going already (the test deleted it itself): kube answers 404, or 409 while it empties.
            if (!e.isNotFound() && !e.isConflict()) {
                LOG.warn("could not delete the test namespace {} of cluster {}: {}", name, cluster.name(),
                        e.getMessage());
            }
        }
    }
}
