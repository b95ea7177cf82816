package dev.drydock.kube;

/** A running watch on the API; closing it stops the events. */
public interface Watch extends AutoCloseable {

    @Override
    void close();
}
