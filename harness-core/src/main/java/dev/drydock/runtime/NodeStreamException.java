package dev.drydock.runtime;

/**
 * A stream a node refuses before it starts, with the HTTP status and the text its kubelet answers (e.g. 400
 * {@code previous terminated container "web" in pod "p" not found}, 404 {@code pod does not exist}).
 */
public class NodeStreamException extends RuntimeException {

    private final int status;

    public NodeStreamException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the kubelet answers with. */
    public int status() {
        return status;
    }
}
