package dev.drydock.runtime;

/** A sandbox's state and IP. */
public record PodSandboxStatus(String id, boolean ready, String ip) {
}
