package dev.drydock.api;

import static dev.drydock.api.TestObjects.namespace;
import static dev.drydock.api.TestObjects.node;
import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lists: selectors, paging with limit and continue, reads at a resource version. */
class ApiServerListTest extends ApiServerTestSupport {

    @Test
    void aListCarriesItsKindAndTheStoreRevisionAsResourceVersion() {
        createPod(pod("a"));
        createPod(pod("b"));

        ObjectNode list = list(PODS, NS, Map.of());

        assertThat(list.path("kind").asText()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(rv(list)).isEqualTo(store.revision());
        assertThat(list.path("metadata").has("continue")).isFalse();
        assertThat(names(list)).containsExactly("a", "b");
        assertThat(list.path("items").get(0)).isEqualTo(client.get(PODS, NS, "a"));
    }

    @Test
    void aListInANamespaceSeesOnlyThatNamespaceAndAListWithoutOneSeesAll() {
        client.create(NAMESPACES, null, namespace("other").build());
        createPod(pod("a"));
        client.create(PODS, "other", pod("b").build());

        assertThat(names(list(PODS, NS, Map.of()))).containsExactly("a");
        assertThat(names(list(PODS, "other", Map.of()))).containsExactly("b");
        assertThat(names(list(PODS, null, Map.of()))).containsExactlyInAnyOrder("a", "b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "app=web;                 web-1 web-2",
        "app==web;                web-1 web-2",
        "app!=web;                bare db",
        "tier in (fe, be);        web-1 web-2",
        "app notin (web);         bare db",
        "tier;                    web-1 web-2",
        "!tier;                   bare db",
        "app=web,tier=fe;         web-1",
        "app in (web,db),!tier;   db",
        "app=nothing;             ''",
    })
    void aLabelSelectorFiltersTheList(String selector, String expected) {
        createPod(pod("web-1").labels("app", "web", "tier", "fe"));
        createPod(pod("web-2").labels("app", "web", "tier", "be"));
        createPod(pod("db").labels("app", "db"));
        createPod(pod("bare"));

        ObjectNode list = list(PODS, NS, Map.of("labelSelector", selector));

        assertThat(names(list)).containsExactlyElementsOf(expected.isBlank() ? List.of()
                : List.of(expected.trim().split(" ")));
    }

    @Test
    void aFieldSelectorFiltersByNodeNameNameAndPhase() {
        createPod(pod("a"));
        createPod(pod("b"));
        createPod(pod("c"));
        client.bind(NS, "a", "n1");
        client.bind(NS, "b", "n2");
        ObjectNode running = Json.object();
        Json.with(running, "status").put("phase", "Running");
        client.mergePatch(PODS, NS, "b", "status", running);

        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "spec.nodeName=n1")))).containsExactly("a");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "spec.nodeName=")))).containsExactly("c");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "spec.nodeName!=")))).containsExactly("a", "b");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "metadata.name=c")))).containsExactly("c");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "status.phase=Running")))).containsExactly("b");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "status.phase!=Running,spec.nodeName!=n1"))))
                .containsExactly("c");
    }

    @Test
    void labelAndFieldSelectorsCombine() {
        createPod(pod("a").labels("app", "web"));
        createPod(pod("b").labels("app", "web"));
        client.bind(NS, "a", "n1");

        ObjectNode list = list(PODS, NS, Map.of("labelSelector", "app=web", "fieldSelector", "spec.nodeName=n1"));

        assertThat(names(list)).containsExactly("a");
    }

    @Test
    void aFieldSelectorOnAnUnsupportedFieldIsBadRequest() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("fieldSelector", "spec.foo=bar")));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("field label not supported: spec.foo");
    }

    @Test
    void aMalformedLabelSelectorIsBadRequest() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("labelSelector", "app in web")));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("BadRequest");
        assertThat(e.getMessage()).startsWith("unable to parse requirement: ");
    }

    @Test
    void aNodeFieldSelectorOnNameWorksForClusterScopedKinds() {
        client.create(NODES, null, node("n1").build());
        client.create(NODES, null, node("n2").build());

        assertThat(names(list(NODES, null, Map.of("fieldSelector", "metadata.name=n2")))).containsExactly("n2");
    }

    @Test
    void aBooleanFieldThatIsAbsentSelectsAsFalse() {
        client.create(NODES, null, node("cordoned").set("spec.unschedulable", Json.object().booleanNode(true)).build());
        client.create(NODES, null, node("plain").build());
        createPod(pod("web"));

        assertThat(names(list(NODES, null, Map.of("fieldSelector", "spec.unschedulable=false"))))
                .containsExactly("plain");
        assertThat(names(list(NODES, null, Map.of("fieldSelector", "spec.unschedulable=true"))))
                .containsExactly("cordoned");
        assertThat(names(list(PODS, NS, Map.of("fieldSelector", "spec.hostNetwork=false")))).containsExactly("web");
    }

    // ---- paging

    @Test
    void pagingWithLimitAndContinueReturnsEveryObjectExactlyOnce() {
        for (int i = 0; i < 7; i++) {
            createPod(pod("p" + i));
        }

        List<ObjectNode> pages = pages(Map.of("limit", "3"));

        assertThat(pages).extracting(p -> p.path("items").size()).containsExactly(3, 3, 1);
        assertThat(allNames(pages)).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    }

    @Test
    void theLastPageHasNoContinueEvenWhenItIsFull() {
        for (int i = 0; i < 6; i++) {
            createPod(pod("p" + i));
        }

        List<ObjectNode> pages = pages(Map.of("limit", "3"));

        assertThat(pages).extracting(p -> p.path("items").size()).containsExactly(3, 3);
        assertThat(allNames(pages)).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void pagesAreOneConsistentSnapshotAtTheFirstPagesResourceVersion() {
        for (int i = 0; i < 4; i++) {
            createPod(pod("p" + i));
        }
        ObjectNode first = list(PODS, NS, Map.of("limit", "2"));
        createPod(pod("p5"));
        client.delete(PODS, NS, "p3");

        ObjectNode second = list(PODS, NS, Map.of("limit", "2", "continue", first.path("metadata")
                .path("continue").asText()));

        assertThat(names(second)).containsExactly("p2", "p3");
        assertThat(rv(second)).isEqualTo(rv(first));
    }

    @Test
    void pagingWithASelectorFillsPagesWithMatchesAndReturnsEachMatchOnce() {
        for (int i = 0; i < 10; i++) {
            createPod(i % 3 == 0 ? pod("p" + i).labels("app", "web") : pod("p" + i));
        }

        List<ObjectNode> pages = pages(Map.of("limit", "2", "labelSelector", "app=web"));

        assertThat(allNames(pages)).containsExactly("p0", "p3", "p6", "p9");
        assertThat(pages).allSatisfy(p -> assertThat(p.path("items").size()).isLessThanOrEqualTo(2));
    }

    @Test
    void aContinueTokenFromACompactedRevisionIsExpired() {
        for (int i = 0; i < 4; i++) {
            createPod(pod("p" + i));
        }
        ObjectNode first = list(PODS, NS, Map.of("limit", "2"));
        createPod(pod("p9"));
        store.compact(store.revision());

        ApiException e = failure(() -> list(PODS, NS, Map.of("limit", "2", "continue", first.path("metadata")
                .path("continue").asText())));

        assertThat(e.code()).isEqualTo(410);
        assertThat(e.reason()).isEqualTo("Expired");
        assertThat(e.getMessage()).startsWith("The provided continue parameter is too old to display a consistent "
                + "list result.");
    }

    @Test
    void aGarbledContinueTokenIsBadRequest() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("continue", "not-a-token")));

        assertThat(e.code()).isEqualTo(400);
    }

    @Test
    void anExactResourceVersionListsTheObjectsAsTheyWereThen() {
        createPod(pod("a"));
        long then = store.revision();
        createPod(pod("b"));
        client.delete(PODS, NS, "a");

        ObjectNode list = list(PODS, NS, Map.of("resourceVersion", Long.toString(then),
                "resourceVersionMatch", "Exact"));

        assertThat(names(list)).containsExactly("a");
        assertThat(rv(list)).isEqualTo(then);
    }

    @Test
    void anExactResourceVersionThatHasBeenCompactedIsExpired() {
        createPod(pod("a"));
        long then = store.revision();
        createPod(pod("b"));
        store.compact(store.revision());

        ApiException e = failure(() -> list(PODS, NS, Map.of("resourceVersion", Long.toString(then),
                "resourceVersionMatch", "Exact")));

        assertThat(e.code()).isEqualTo(410);
        assertThat(e.reason()).isEqualTo("Expired");
        assertThat(e.getMessage()).isEqualTo("The resourceVersion for the provided list is too old.");
    }

    // ---- where a list is served from

    @Test
    void aListWithoutResourceVersionIsConsistentEvenAfterWritesToOtherResources() {
        createPod(pod("web"));
        client.create(NODES, null, node("n1").build()); // moves the store on, not the pods

        ObjectNode list = list(PODS, NS, Map.of());

        assertThat(rv(list)).isEqualTo(store.revision());
        assertThat(names(list)).containsExactly("web");
    }

    @Test
    void aListNotOlderThanAVersionTheStoreHasSeenIsServed() {
        createPod(pod("a"));
        long then = store.revision();
        createPod(pod("b"));

        ObjectNode list = list(PODS, NS, Map.of("resourceVersion", Long.toString(then),
                "resourceVersionMatch", "NotOlderThan"));

        assertThat(rv(list)).isGreaterThanOrEqualTo(then);
        assertThat(names(list)).contains("a");
    }

    @Test
    void aLimitWithAResourceVersionIsAnExactListAsInKubesLegacyForm() {
        createPod(pod("a"));
        long then = store.revision();
        createPod(pod("b"));

        ObjectNode list = list(PODS, NS, Map.of("resourceVersion", Long.toString(then), "limit", "10"));

        assertThat(names(list)).containsExactly("a");
        assertThat(rv(list)).isEqualTo(then);
    }

    @Test
    void theItemsOfAListServedOverTheWireAreTheObjectsWithTheirResourceVersions() throws Exception {
        ObjectNode created = createPod(pod("web").labels("app", "web"));

        ObjectNode list = list(PODS, NS, Map.of("labelSelector", "app=web"));
        JsonNode wire = Json.parse(Json.bytes(list));

        assertThat(wire.path("items").get(0)).isEqualTo(created);
        assertThat(list.path("items").get(0)).isEqualTo(created);
    }

    // ---- list options

    @Test
    void resourceVersionMatchWithoutResourceVersionIsInvalid() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("resourceVersionMatch", "NotOlderThan")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: "
                + "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        assertThat(e.status().path("details").path("kind").asText()).isEqualTo("ListOptions");
        assertThat(e.status().path("details").path("group").asText()).isEqualTo("meta.k8s.io");
    }

    @Test
    void anUnknownResourceVersionMatchIsInvalid() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("resourceVersion", "1",
                "resourceVersionMatch", "Newest")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: "
                + "Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
    }

    @Test
    void sendInitialEventsIsForbiddenForAList() {
        ApiException e = failure(() -> list(PODS, NS, Map.of("sendInitialEvents", "true")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).endsWith("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
    }

    // ---- helpers

    /** Every page of a paged list of pods in the default namespace. */
    private List<ObjectNode> pages(Map<String, String> params) {
        List<ObjectNode> pages = new ArrayList<>();
        String cont = null;
        do {
            Map<String, String> p = new HashMap<>(params);
            if (cont != null) {
                p.put("continue", cont);
            }
            ObjectNode page = list(PODS, NS, p);
            pages.add(page);
            if (pages.size() > 1) {
                assertThat(rv(page)).as("every page is at the first page's revision").isEqualTo(rv(pages.get(0)));
            }
            cont = page.path("metadata").path("continue").asText(null);
            assertThat(pages.size()).as("pages end").isLessThan(50);
        } while (cont != null);
        return pages;
    }

    private static List<String> allNames(List<ObjectNode> pages) {
        return pages.stream().flatMap(p -> names(p).stream()).toList();
    }
}
