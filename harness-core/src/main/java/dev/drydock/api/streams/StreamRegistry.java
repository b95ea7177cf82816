package dev.drydock.api.streams;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod streams open now. Each registers itself when it opens and goes when it ends, whichever side ends it, so a
 * test can check that nothing is left behind; when the server closes, each is ended.
 */
final class StreamRegistry {

    /** An open stream: ends itself at once when asked. */
    interface Open {
        void end();
    }

    private final Set<Open> open = ConcurrentHashMap.newKeySet();

    void add(Open stream) {
        open.add(stream);
    }

    void remove(Open stream) {
        open.remove(stream);
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        for (Open o : List.copyOf(open)) {
            o.end();
        }
        open.clear();
    }
}
