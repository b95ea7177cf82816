package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.HashMap;

/**
 * The children of a lazily copied object that were copied one at a time, before all of them were (a null value for
 * one that is absent), kept because the reader may have changed them. The first two are held in fields and only a
 * third starts a map: a watcher that reads {@code metadata.name} of each event copies one child per level, and a map
 * per level (with its table and entry) cost more than the copy itself, for each watcher of each event.
 *
 * <p>Not thread-safe: the subclass guards it with its own lock.
 */
abstract class CopiedOneByOne extends AbstractMap<String, JsonNode> {

    private String key1;
    private JsonNode value1;
    private String key2;
    private JsonNode value2;
    private HashMap<String, JsonNode> more;

    /** Whether any child was copied one at a time. */
    final boolean anyCopied() {
        return key1 != null;
    }

    /** Whether {@code key} was copied (its copy may be null: the child is absent). */
    final boolean isCopied(String key) {
        return key.equals(key1) || key.equals(key2) || more != null && more.containsKey(key);
    }

    /** The copy of {@code key}, if {@link #isCopied}. */
    final JsonNode copied(String key) {
        if (key.equals(key1)) {
            return value1;
        }
        if (key.equals(key2)) {
            return value2;
        }
        return more == null ? null : more.get(key);
    }

    /** Keeps the copy of a child not copied before. */
    final void keepCopy(String key, JsonNode copy) {
        if (key1 == null) {
            key1 = key;
            value1 = copy;
        } else if (key2 == null) {
            key2 = key;
            value2 = copy;
        } else {
            if (more == null) {
                more = new HashMap<>(4);
            }
            more.put(key, copy);
        }
    }

    /** Forgets the copies: the whole object has been copied, with them. */
    final void forgetCopies() {
        key1 = null;
        value1 = null;
        key2 = null;
        value2 = null;
        more = null;
    }
}
