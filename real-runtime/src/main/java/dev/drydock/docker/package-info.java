/**
 * The Docker runtime: pods as real containers through docker-java. Not built yet; it will implement
 * {@link dev.drydock.runtime.ContainerRuntime} and register a {@link dev.drydock.runtime.RuntimeProvider} named
 * {@code docker}. Until then a cluster asked for {@code runtime("docker")} fails at start saying no such runtime is
 * on the class path.
 */
package dev.drydock.docker;
