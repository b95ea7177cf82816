package dev.drydock.api;

import static dev.drydock.api.CoreV1Objects.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims (see {@link KindStrategy#claims}): values an object holds exclusively, stored in the object's own
 * transaction. A widget claims its {@code spec.slot}; its admission takes the first free slot when none is asked
 * for, and a write that loses its slot to another write in between is started again.
 */
class ApiServerClaimsTest extends ApiServerTestSupport {

    private static final Resource WIDGETS = new Resource("example.com", "v1", "widgets", "Widget", true);

    /** When set, the next admission of {@code a} lets {@code b} take the slot it chose, as a concurrent write. */
    private final AtomicBoolean interleave = new AtomicBoolean();

    @BeforeEach
    void registerWidgets() {
        KindStrategy strategy = new KindStrategy() {
            @Override
            public Set<String> claims(ObjectNode obj) {
                int slot = obj.path("spec").path("slot").asInt(0);
                return slot == 0 ? Set.of() : Set.of("widgetslots/" + slot);
            }
        };
        Admission slots = (op, kind, obj, old, storage) -> {
            ObjectNode spec = Json.with(obj, "spec");
            int slot = spec.path("slot").asInt(0);
            if (slot == 0) {
                slot = 1;
                while (!storage.claimFree(kind, Json.namespace(obj), Json.name(obj), "widgetslots/" + slot)) {
                    slot++;
                }
                spec.put("slot", slot);
            } else if (!storage.claimFree(kind, Json.namespace(obj), Json.name(obj), "widgetslots/" + slot)) {
                throw Errors.invalid(kind, Json.name(obj), java.util.List.of(FieldError.invalidRaw("spec.slot",
                        Integer.toString(slot), "provided slot is already allocated")));
            }
            if (Json.name(obj).equals("a") && interleave.getAndSet(false)) {
                client.create(WIDGETS, NS, widget("b", slot));
            }
        };
        api.registry().add(KindDescriptor.of(WIDGETS).strategy(strategy).admission(slots).build());
    }

    @Test
    void aCreateThatLosesItsClaimIsStartedAgainAndChoosesAnotherValue() {
        interleave.set(true);

        ObjectNode a = client.create(WIDGETS, NS, widget("a", 0));

        assertThat(slot(client.get(WIDGETS, NS, "b"))).isEqualTo(1);
        assertThat(slot(a)).isEqualTo(2);
    }

    @Test
    void anUpdateThatLosesItsClaimIsStartedAgainAndChoosesAnotherValue() {
        client.create(WIDGETS, NS, widget("a", 5));
        interleave.set(true);

        ObjectNode a = client.mergePatch(WIDGETS, NS, "a", null, json("{'spec': {'slot': null}}"));

        assertThat(slot(client.get(WIDGETS, NS, "b"))).isEqualTo(1);
        assertThat(slot(a)).isEqualTo(2);
        // slot 5 was released by the move: another widget may have it
        assertThat(slot(client.create(WIDGETS, NS, widget("c", 5)))).isEqualTo(5);
    }

    @Test
    void aRequestedValueThatWasTakenMeanwhileIsRefusedByTheAdmissionOnTheSecondAttempt() {
        interleave.set(true);

        ApiException e = failure(() -> client.create(WIDGETS, NS, widget("a", 3)));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).endsWith("spec.slot: Invalid value: 3: provided slot is already allocated");
        assertThat(client.find(WIDGETS, NS, "a")).isNull();
    }

    @Test
    void aDeleteReleasesItsClaims() {
        client.create(WIDGETS, NS, widget("a", 4));
        client.delete(WIDGETS, NS, "a");

        assertThat(store.get("/registry/ranges/widgetslots/4", 0)).isNull();
        assertThat(slot(client.create(WIDGETS, NS, widget("b", 4)))).isEqualTo(4);
    }

    @Test
    void anObjectThatExistsIsStillAlreadyExistsWhateverItsClaims() {
        client.create(WIDGETS, NS, widget("a", 6));

        ApiException e = failure(() -> client.create(WIDGETS, NS, widget("a", 7)));

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.status().path("reason").asText()).isEqualTo("AlreadyExists");
        assertThat(store.get("/registry/ranges/widgetslots/7", 0)).isNull();
    }

    private static ObjectNode widget(String name, int slot) {
        ObjectNode w = json("{'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': '" + name
                + "'}, 'spec': {}}");
        if (slot != 0) {
            Json.with(w, "spec").put("slot", slot);
        }
        return w;
    }

    private static int slot(ObjectNode widget) {
        return widget.path("spec").path("slot").asInt();
    }
}
