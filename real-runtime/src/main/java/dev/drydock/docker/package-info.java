/**
 * The Docker runtime: pods as real containers through docker-java. {@link dev.drydock.docker.DockerRuntimeProvider}
 * is its entry point; everything else is package-private.
 */
package dev.drydock.docker;
