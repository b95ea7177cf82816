package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.EventsV1Kinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** events.k8s.io/v1 Events are core/v1 Events seen through kube's field conversion. */
class EventsV1Test extends ApiServerTestSupport {

    static ObjectNode parse(String json) {
        return Json.parseTrusted(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEventWrittenInOneGroupIsReadInTheOther() {
        client.create(EventsV1Kinds.EVENTS, NS, parse("""
                {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e1"},
                 "eventTime": "2026-11-30T10:00:00.000000Z", "reportingController": "example.com/ctl",
                 "reportingInstance": "ctl-1", "action": "Scale", "reason": "Scaled", "type": "Normal",
                 "note": "scaled up", "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"}}
                """));

        ObjectNode core = client.get(Resource.EVENTS, NS, "e1");
        assertThat(core.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(core.path("message").asText()).isEqualTo("scaled up");
        assertThat(core.at("/involvedObject/name").asText()).isEqualTo("web");
        assertThat(core.path("reportingComponent").asText()).isEqualTo("example.com/ctl");

        ObjectNode coreEvent = parse("""
                {"metadata": {"name": "e2"}, "involvedObject": {"kind": "Pod", "name": "p"},
                 "reason": "Started", "message": "started", "type": "Normal", "count": 2}
                """);
        client.create(Resource.EVENTS, NS, coreEvent);
        ObjectNode v1 = client.get(EventsV1Kinds.EVENTS, NS, "e2");
        assertThat(v1.path("apiVersion").asText()).isEqualTo("events.k8s.io/v1");
        assertThat(v1.path("note").asText()).isEqualTo("started");
        assertThat(v1.path("deprecatedCount").asInt()).isEqualTo(2);
        assertThat(v1.at("/regarding/kind").asText()).isEqualTo("Pod");

        assertThat(names(list(EventsV1Kinds.EVENTS, NS, Map.of("fieldSelector", "regarding.kind=Pod"))))
                .containsExactly("e2");
    }

    @Test
    void aNewStyleEventMustSayWhoReportedItAndWhen() {
        ApiException e = failure(() -> client.create(EventsV1Kinds.EVENTS, NS, parse("""
                {"metadata": {"name": "bare"}, "reason": "Scaled", "type": "Normal"}
                """)));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("eventTime: Required value").contains("reportingController: Required");
    }
}
