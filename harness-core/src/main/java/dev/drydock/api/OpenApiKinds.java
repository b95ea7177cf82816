package dev.drydock.api;

import dev.drydock.api.openapi.ServedKind;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.function.Supplier;

/** What the OpenAPI documents are told of the registry: every kind it serves, asked again at each request. */
final class OpenApiKinds {

    private OpenApiKinds() {
    }

    static Supplier<List<ServedKind>> of(KindRegistry registry) {
        return () -> registry.all().stream().map(k -> {
            Resource r = k.resource();
            return ServedKind.builtIn(r.group(), r.version(), r.kind(), r.plural(), r.namespaced(), k.subresources());
        }).toList();
    }
}
