package dev.drydock.store.check;

import dev.drydock.store.KeyValue;
import dev.drydock.store.Lease;
import dev.drydock.store.RangeResult;
import dev.drydock.store.Store;
import dev.drydock.store.Txn;
import dev.drydock.store.TxnResult;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchListener;
import java.time.Duration;

/** A store that passes every call to another: the base of the fault-injecting and deliberately broken stores. */
public class ForwardingStore implements Store {

    protected final Store delegate;

    public ForwardingStore(Store delegate) {
        this.delegate = delegate;
    }

    @Override
    public long revision() {
        return delegate.revision();
    }

    @Override
    public KeyValue get(String key, long revision) {
        return delegate.get(key, revision);
    }

    @Override
    public RangeResult range(String prefix, String fromKey, long revision, int limit) {
        return delegate.range(prefix, fromKey, revision, limit);
    }

    @Override
    public TxnResult txn(Txn txn) {
        return delegate.txn(txn);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return delegate.watch(prefix, fromRevision, listener);
    }

    @Override
    public void compact(long revision) {
        delegate.compact(revision);
    }

    @Override
    public long compactRevision() {
        return delegate.compactRevision();
    }

    @Override
    public Lease leaseGrant(long id, Duration ttl) {
        return delegate.leaseGrant(id, ttl);
    }

    @Override
    public Duration leaseKeepAlive(long id) {
        return delegate.leaseKeepAlive(id);
    }

    @Override
    public void leaseRevoke(long id) {
        delegate.leaseRevoke(id);
    }

    @Override
    public Lease leaseTimeToLive(long id) {
        return delegate.leaseTimeToLive(id);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
