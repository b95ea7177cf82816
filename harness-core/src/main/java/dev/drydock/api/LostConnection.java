package dev.drydock.api;

import dev.drydock.kube.ApiException;

/**
 * A watch's end because the network under its connection broke: over HTTP its connection is dropped (the client
 * reads an I/O error, not an end of stream), in-process its handler is closed with this error. Its status is what
 * a client library that must name one would make of it: 503 ServiceUnavailable.
 */
public final class LostConnection extends ApiException {

    public LostConnection(String message) {
        super(ApiException.status(503, "ServiceUnavailable", message, null));
    }
}
