package dev.drydock.api.cache;

import java.util.List;

/**
 * A list served from a {@link WatchCache}: the matching objects in key order at the cache's revision and, when a
 * limit cut it, the key the next page starts at (the store serves the next page at that same revision).
 */
public record CacheList(long revision, List<CachedObject> items, String continueKey) {
}
