package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What a {@link WatchCache} needs to know of the resource it caches, as kube's cacher {@code Config}: where its
 * objects are stored, how to read the fields a field selector may name ({@code GetAttrsFunc}), and the one field
 * watchers are indexed by ({@code IndexerFuncs}: {@code spec.nodeName} for pods).
 *
 * @param prefix     the store key prefix of the resource, e.g. {@code /registry/core/pods/}
 * @param namespaced whether keys are {@code prefix + namespace + "/" + name}
 * @param kind       the kind and apiVersion bookmarks carry
 * @param fields     the selectable fields other than {@code metadata.name} and {@code metadata.namespace}, each
 *                   with how to read it from an object (as a field selector compares it: absent booleans are
 *                   {@code "false"}, absent strings empty)
 * @param indexField the field whose exact value indexes watchers, or null
 * @param conversion how a stored object becomes the served one (a kind served in another version than it is
 *                   stored), or null when it is served as stored
 */
public record CacheConfig(String prefix, boolean namespaced, String kind, String apiVersion,
                          Map<String, Function<JsonNode, String>> fields, String indexField,
                          UnaryOperator<ObjectNode> conversion) {

    public CacheConfig {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (indexField != null && !fields.containsKey(indexField)) {
            throw new IllegalArgumentException("index field " + indexField + " is not a selectable field");
        }
    }

    /** The names of {@link #fields()} in the order a {@link CachedObject} keeps their values. */
    List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }

    /** The namespace and name of a key under the prefix ({@code namespace} empty for a cluster-scoped kind). */
    String[] namespaceAndName(String key) {
        String rest = key.substring(prefix.length());
        int slash = namespaced ? rest.indexOf('/') : -1;
        return slash < 0 ? new String[] {"", rest} : new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}
