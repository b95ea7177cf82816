package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate between a watch and its client: held events wait in order, and a gate ends or breaks once. */
class GatedWatchTest {

    private final List<String> seen = new ArrayList<>();
    private final List<ApiException> closes = new ArrayList<>();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger upstreamClosed = new AtomicInteger();
    private final GatedWatch gate = new GatedWatch(new WatchHandler() {
        @Override
        public void onEvent(String type, ObjectNode object) {
            seen.add(Json.name(object));
        }

        @Override
        public void onClose(ApiException error) {
            closes.add(error);
        }
    }, g -> done.incrementAndGet());

    @Test
    void heldEventsGoOutInOrderWhenReleased() {
        gate.upstream(upstreamClosed::incrementAndGet);
        gate.onEvent("ADDED", named("a"));
        gate.hold();
        gate.onEvent("ADDED", named("b"));
        gate.onEvent("ADDED", named("c"));
        assertThat(seen).containsExactly("a");
        gate.release();
        gate.onEvent("ADDED", named("d"));
        assertThat(seen).containsExactly("a", "b", "c", "d");
        assertThat(closes).isEmpty();
    }

    @Test
    void aGateEndsOnceClosingItsUpstreamAndTellingItsClient() {
        gate.upstream(upstreamClosed::incrementAndGet);
        gate.hold();
        gate.onEvent("ADDED", named("lost"));
        gate.end();
        gate.breakConnection("too late");
        gate.onEvent("ADDED", named("after"));
        assertThat(seen).isEmpty();
        assertThat(closes).containsExactly((ApiException) null);
        assertThat(upstreamClosed).hasValue(1);
        assertThat(done).hasValue(1);
    }

    @Test
    void aBrokenGateTellsItsClientTheConnectionWasLost() {
        gate.breakConnection("link cut");
        gate.upstream(upstreamClosed::incrementAndGet); // started after it broke: closed at once
        assertThat(closes).singleElement().isInstanceOf(LostConnection.class);
        assertThat(closes.get(0).getMessage()).isEqualTo("link cut");
        assertThat(upstreamClosed).hasValue(1);
    }

    @Test
    void aGateHoldingTooManyEventsEndsTheWatch() {
        gate.upstream(upstreamClosed::incrementAndGet);
        gate.hold();
        for (int i = 0; i <= GatedWatch.MAX_HELD; i++) {
            gate.onEvent("ADDED", named("e" + i));
        }
        assertThat(closes).containsExactly((ApiException) null);
        assertThat(seen).isEmpty();
        assertThat(upstreamClosed).hasValue(1);
    }

    @Test
    void aClientThatClosesItsWatchIsNotToldOfIt() {
        gate.upstream(upstreamClosed::incrementAndGet);
        gate.close();
        assertThat(closes).isEmpty();
        assertThat(upstreamClosed).hasValue(1);
        assertThat(done).hasValue(1);
    }

    private static ObjectNode named(String name) {
        ObjectNode o = Json.object();
        Json.with(o, "metadata").put("name", name);
        return o;
    }
}
