package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.auth.BootstrapPolicy;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster-scoped objects kube-apiserver creates when it starts (its post-start hooks), which a cluster creates
 * through the API once it serves: the bootstrap RBAC policy ({@link BootstrapPolicy}) and the system
 * PriorityClasses.
 */
public final class BuiltInObjects {

    /** One object to create, of {@code resource}. */
    public record Item(Resource resource, ObjectNode object) {
    }

    private BuiltInObjects() {
    }

    /** Every object to create at start, in order (fresh copies: the caller may change them). */
    public static List<Item> all() {
        List<Item> items = new ArrayList<>();
        BootstrapPolicy.clusterRoles().forEach(r -> items.add(new Item(Resource.CLUSTER_ROLES, r)));
        BootstrapPolicy.clusterRoleBindings().forEach(b -> items.add(new Item(Resource.CLUSTER_ROLE_BINDINGS, b)));
        SchedulingV1Kinds.systemPriorityClasses()
                .forEach(pc -> items.add(new Item(SchedulingV1Kinds.PRIORITY_CLASSES, pc)));
        return items;
    }
}
