package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.util.Comparator;
import java.util.List;

/**
 * Fills the rules of ClusterRoles that have an {@code aggregationRule}, as kube's ClusterRole aggregation
 * controller: the union of the rules of every other ClusterRole its selectors match (in name order, each rule once).
 * Any ClusterRole change may change an aggregate, so every aggregating role is synced again then; the chain of
 * {@code view} into {@code edit} into {@code admin} settles the same way.
 */
public final class ClusterRoleAggregationController {

    private final KubeClient client;
    private final Informer clusterRoles;
    private final WorkQueue queue;

    public ClusterRoleAggregationController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.clusterRoles = informers.informer(Resource.CLUSTER_ROLES);
        this.queue = new WorkQueue("clusterrole-aggregation", ctx, this::sync);
        clusterRoles.addHandler(Controllers.onAnyChange(changed -> {
            for (ObjectNode role : clusterRoles.list()) {
                if (role.hasNonNull("aggregationRule")) {
                    queue.add(Json.name(role));
                }
            }
        }));
    }

    public void shutdown() {
        queue.shutdown();
    }

    void sync(String name) {
        ObjectNode role = clusterRoles.get(name);
        if (role == null || !role.hasNonNull("aggregationRule")) {
            return;
        }
        List<ObjectNode> all = clusterRoles.list();
        all.sort(Comparator.comparing(Json::name));
        ArrayNode rules = Json.array();
        for (JsonNode selector : role.path("aggregationRule").path("clusterRoleSelectors")) {
            LabelSelector matches = LabelSelector.fromObject(selector);
            for (ObjectNode other : all) {
                if (Json.name(other).equals(name) || !matches.matchesObject(other)) {
                    continue;
                }
                for (JsonNode rule : other.path("rules")) {
                    if (!contains(rules, rule)) {
                        rules.add(rule.deepCopy());
                    }
                }
            }
        }
        if (Semantic.equal(rules, role.path("rules").isMissingNode() ? Json.array() : role.path("rules"))) {
            return;
        }
        ObjectNode updated = role.deepCopy();
        updated.set("rules", rules);
        try {
            client.update(Resource.CLUSTER_ROLES, updated);
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return; // deleted meanwhile
            }
            throw e; // a conflict: the informer brings the new version and it is synced again
        }
    }

    private static boolean contains(ArrayNode rules, JsonNode rule) {
        for (JsonNode r : rules) {
            if (Semantic.equal(r, rule)) {
                return true;
            }
        }
        return false;
    }
}
