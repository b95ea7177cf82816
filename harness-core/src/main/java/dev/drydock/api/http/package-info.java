/**
 * The HTTP shell under the API server: a non-blocking HTTP/1.1 server on loopback (Netty, relocated into drydock's jar
 * so that it never meets the Netty a user's Kubernetes client brings) that hands each request to one handler on a
 * worker thread, streams responses such as watches without holding a thread, and can switch a connection to
 * WebSocket. It knows nothing of Kubernetes: {@link dev.drydock.api.HttpApiServer} does the translating.
 */
package dev.drydock.api.http;
