package dev.drydock.net;

/** A message that could not cross the simulated network, as a connection error would on a real one. */
public class NetworkException extends RuntimeException {

    public NetworkException(String message) {
        super(message);
    }
}
