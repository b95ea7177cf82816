package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The trees the API server has just encoded for the store, found by their bytes, so that a watch cache takes the
 * tree a write was encoded from rather than parsing the bytes the store hands back: one parse fewer per write. The
 * bytes are matched by identity (the in-process store keeps the array it was given), and a tree is taken once.
 *
 * <p>A tree handed over is read only from then on: the writer must not change it after encoding it. An entry whose
 * write failed is dropped with its bytes (the keys are weak); at most {@link #MAX} wait at once, beyond which writes
 * are parsed as before.
 */
final class WrittenTrees {

    /** How many trees may wait for their event at once. */
    static final int MAX = 4096;

    private final Map<byte[], ObjectNode> trees = new WeakHashMap<>(); // guarded by this

    synchronized void remember(byte[] bytes, ObjectNode tree) {
        if (trees.size() < MAX) {
            trees.put(bytes, tree);
        }
    }

    /** The tree {@code bytes} were encoded from, or null; forgotten once taken. */
    synchronized ObjectNode take(byte[] bytes) {
        return trees.isEmpty() ? null : trees.remove(bytes);
    }
}
