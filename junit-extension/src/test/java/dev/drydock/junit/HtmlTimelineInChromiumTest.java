package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML timeline a failing test leaves behind, loaded in headless Chromium: its script draws a lane per node and
 * pod and a band for the crash, and they are in the DOM the browser built. CI installs Chromium ({@code .ci/run}) and
 * this test fails there without it; a developer's machine without it skips it, saying how to install it.
 */
class HtmlTimelineInChromiumTest {

    private static final Pattern TAG = Pattern.compile("<div class=\"(lane|band[^\"]*|seg [^\"]*)\"[^>]*>");
    private static final Pattern ATTR = Pattern.compile("(data-[a-z]+)=\"([^\"]*)\"");

    @Test
    void theTimelineOfACrashRendersNodeAndPodLanesAndTheCrashAsABand(@TempDir Path reports) throws Exception {
        Path chromium = chromium();
        FailingRuns.Run run = FailingRuns.run(CrashScenario.class, reports);
        run.events().assertStatistics(s -> s.failed(1));

        HeadlessChromium.Result result = HeadlessChromium.dumpDom(chromium,
                reports.resolve("CrashScenario.crashes.html"), Duration.ofSeconds(90));

        String dom = result.dom();
        assertThat(dom).as("the page's script ran to its end").contains("id=\"rendered\"");
        Map<String, List<String>> lanes = new LinkedHashMap<>(); // subject -> states of its segments, in order
        List<Map<String, String>> bands = new ArrayList<>();
        String lane = null;
        for (Matcher m = TAG.matcher(dom); m.find(); ) {
            Map<String, String> attrs = attributes(m.group());
            if (m.group(1).equals("lane")) {
                lane = attrs.get("data-subject");
                lanes.put(lane, new ArrayList<>());
            } else if (m.group(1).startsWith("band")) {
                bands.add(attrs);
            } else if (lane != null) {
                lanes.get(lane).add(attrs.get("data-state"));
            }
        }
        assertThat(lanes.keySet()).as("nodes first, then pods").startsWith("node/node-1", "node/node-2",
                "pod/default/web-1", "pod/default/web-2");
        // on a loaded machine node-1 may miss a heartbeat too: its lane starts Ready, whatever follows
        assertThat(lanes.get("node/node-1")).startsWith("Ready");
        assertThat(lanes.get("node/node-2")).startsWith("Ready").contains("Unknown");
        assertThat(lanes.get("pod/default/web-2")).startsWith("Pending").contains("Running/Ready");
        assertThat(bands).anySatisfy(b -> {
            assertThat(b.get("data-subject")).isEqualTo("node-2");
            assertThat(b.get("data-label")).isEqualTo("crash");
        });
        assertThat(result.userDataDir()).as("the profile is deleted").doesNotExist();
        assertThat(HeadlessChromium.using(result.userDataDir())).as("no chromium process is left").isEmpty();
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Matcher a = ATTR.matcher(tag); a.find(); ) {
            attrs.put(a.group(1), a.group(2).replace("&amp;", "&").replace("&quot;", "\""));
        }
        return attrs;
    }

    /**
     * Chromium; without it, a skip on a developer's machine and a failure in CI ({@code CI} or
     * {@code DRYDOCK_REQUIRE_CHROMIUM} set).
     */
    private static Path chromium() {
        Optional<Path> found = HeadlessChromium.find();
        if (found.isPresent()) {
            return found.get();
        }
        boolean required = System.getenv("CI") != null || System.getenv("DRYDOCK_REQUIRE_CHROMIUM") != null;
        if (required) {
            throw new AssertionError("no chromium on this machine, and CI requires it: " + HeadlessChromium.INSTALL);
        }
        Assumptions.assumeTrue(false, "no chromium on this machine: " + HeadlessChromium.INSTALL);
        throw new IllegalStateException("unreachable: the assumption aborts the test");
    }
}
