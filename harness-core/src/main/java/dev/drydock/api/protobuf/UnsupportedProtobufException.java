package dev.drydock.api.protobuf;

/**
 * Thrown when a Kubernetes protobuf request body cannot be turned into JSON: it is malformed or
 * truncated, it is not wrapped in the {@code k8s\0} envelope, or it uses a kind, message or field
 * that drydock's protobuf table does not cover. The message names what is not supported so the
 * caller can answer with a clear 415/400 and the client can fall back to JSON.
 */
public class UnsupportedProtobufException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong or not supported, e.g. the field number and the message it belongs to */
    public UnsupportedProtobufException(String message) {
        super(message);
    }
}
