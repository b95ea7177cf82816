package dev.drydock.fake;

import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.RuntimeProvider;

/** The embedded default runtime: containers that live in memory. Found through {@link java.util.ServiceLoader}. */
public final class FakeRuntimeProvider implements RuntimeProvider {

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public ContainerRuntime create(NodeContext node) {
        return new FakeRuntime(node);
    }
}
