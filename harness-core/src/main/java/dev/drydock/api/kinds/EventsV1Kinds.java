package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Map;

/**
 * {@code events.k8s.io/v1} Events: the same objects as core/v1 Events, kept in their storage and converted field by
 * field as kube's {@code pkg/apis/events/v1} conversion does ({@code regarding} is {@code involvedObject},
 * {@code note} is {@code message}, the {@code deprecated*} fields are the core ones).
 */
public final class EventsV1Kinds {

    /** The events.k8s.io/v1 events resource. */
    public static final Resource EVENTS = new Resource("events.k8s.io", "v1", "events", "Event", true);

    /** events.k8s.io/v1 field to the core/v1 field it is stored as. */
    private static final Map<String, String> TO_CORE = Map.of(
            "regarding", "involvedObject",
            "note", "message",
            "deprecatedSource", "source",
            "deprecatedFirstTimestamp", "firstTimestamp",
            "deprecatedLastTimestamp", "lastTimestamp",
            "deprecatedCount", "count",
            "reportingController", "reportingComponent");

    private EventsV1Kinds() {
    }

    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(EVENTS).shortNames("ev").strategy(STRATEGY)
                .storedAs(Resource.EVENTS, CONVERSION)
                .fields("regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                        "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath", "reason",
                        "reportingController", "type")
                .build());
    }

    private static final KindDescriptor.Conversion CONVERSION = new KindDescriptor.Conversion() {
        @Override
        public ObjectNode fromStorage(ObjectNode stored) {
            ObjectNode out = stored.objectNode();
            out.put("kind", "Event");
            out.put("apiVersion", "events.k8s.io/v1");
            stored.properties().forEach(e -> {
                if (e.getKey().equals("kind") || e.getKey().equals("apiVersion")) {
                    return;
                }
                String name = e.getKey();
                for (Map.Entry<String, String> m : TO_CORE.entrySet()) {
                    if (m.getValue().equals(name)) {
                        name = m.getKey();
                    }
                }
                out.set(name, e.getValue());
            });
            return out;
        }

        @Override
        public ObjectNode toStorage(ObjectNode obj) {
            ObjectNode out = obj.objectNode();
            out.put("kind", "Event");
            out.put("apiVersion", "v1");
            obj.properties().forEach(e -> {
                if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                    out.set(TO_CORE.getOrDefault(e.getKey(), e.getKey()), e.getValue());
                }
            });
            return out;
        }
    };

    /** kube's events/v1 create rules: what a new-style event must say about itself. */
    private static final KindStrategy STRATEGY = new KindStrategy() {
        @Override
        public void validate(ObjectNode event, ObjectNode old, List<FieldError> errors) {
            if (old == null) {
                validate(event, errors); // an update may keep what an event written as core/v1 lacks
            }
        }

        @Override
        public void validate(ObjectNode event, List<FieldError> errors) {
            for (String field : List.of("eventTime", "reportingController", "reportingInstance", "action",
                    "reason")) {
                JsonNode v = event.get(field);
                if (v == null || v.isNull() || v.asText().isEmpty()) {
                    errors.add(FieldError.required(field, ""));
                }
            }
            String type = event.path("type").asText("");
            if (!type.equals("Normal") && !type.equals("Warning")) {
                errors.add(FieldError.notSupported("type", type, List.of("Normal", "Warning")));
            }
            if (event.path("note").asText("").length() > 1024) {
                errors.add(FieldError.tooLong("note", 1024));
            }
        }
    };
}
