package dev.drydock.api;

import dev.drydock.api.openapi.ServedKind;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the OpenAPI documents are told of the registry: every kind it serves, asked again at each request. A kind
 * whose descriptor carries a schema (a custom resource version) is documented by that schema, the others by
 * Kubernetes' published ones.
 */
final class OpenApiKinds {

    private OpenApiKinds() {
    }

    static Supplier<List<ServedKind>> of(KindRegistry registry) {
        return () -> registry.all().stream().map(KindDescriptor::served).toList();
    }

    static ServedKind served(KindDescriptor k) {
        Resource r = k.resource();
        Set<String> subresources = Set.copyOf(k.subresourceNames());
        if (k.schema() != null && !k.schema().isMissingNode() && !k.schema().isNull()) {
            return ServedKind.custom(r.group(), r.version(), r.kind(), k.listKind(), r.plural(), r.namespaced(),
                    subresources, k.schema());
        }
        return ServedKind.builtIn(r.group(), r.version(), r.kind(), r.plural(), r.namespaced(), subresources);
    }
}
