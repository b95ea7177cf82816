package dev.drydock.api.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod streams open now, each with its target (the client's party, the pod, its node). Each registers itself when
 * it opens and goes when it ends, whichever side ends it, so a test can check that nothing is left behind; when the
 * server closes, each is ended. It is where a rule of the network that cuts a link will find the streams crossing it.
 */
final class StreamRegistry {

    /** An open stream: ends itself at once when asked. */
    interface Open {
        void end();
    }

    private final Map<Open, PodStreams.Target> open = new ConcurrentHashMap<>();

    void add(Open stream, PodStreams.Target target) {
        open.put(stream, target);
    }

    void remove(Open stream) {
        open.remove(stream);
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        for (Open o : List.copyOf(open.keySet())) {
            o.end();
        }
        open.clear();
    }
}
