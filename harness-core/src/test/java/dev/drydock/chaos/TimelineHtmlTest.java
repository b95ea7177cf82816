package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.base.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTML timeline: faults paired into bands, and a page that needs nothing but itself. */
class TimelineHtmlTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void eachFaultIsABandFromItsStartToWhatUndidItOrOpenToTheEndInTheOrderTheyStarted() {
        ManualClock clock = new ManualClock(T0);
        Timeline t = new Timeline(clock);
        t.fault("node-2", "crash");
        clock.advance(Duration.ofSeconds(1));
        t.fault("client:operator", "API fault: fail 500 on list of pods (client:operator)");
        t.fault("store", "stop etcd-1");
        t.fault("store", "isolate etcd-0");
        t.fault("node-1", "drain");
        clock.advance(Duration.ofSeconds(1));
        t.fault("client:operator", "healed API fault: fail 500 on list of pods (client:operator) (3 hit(s))");
        t.fault("node-2", "restart");
        t.fault("store", "heal");
        t.fault("node-3", "cordon");
        clock.advance(Duration.ofSeconds(1));

        List<TimelineHtml.Band> bands = TimelineHtml.bands(t.entries(), clock.now());

        assertThat(bands).extracting(b -> b.subject() + " " + b.label() + " " + seconds(b.start()) + "-"
                + seconds(b.end()) + (b.open() ? " open" : "")).containsExactly(
                "node-2 crash 0-2",
                "client:operator API fault: fail 500 on list of pods (client:operator) 1-2",
                "store stop etcd-1 1-3 open",
                "store isolate etcd-0 1-2",
                "node-1 drain 1-1",
                "node-3 cordon 2-3 open");
    }

    @Test
    void aFreezeEndsAtItsThawOrRestartAndAContainerKillLastsNoTime() {
        ManualClock clock = new ManualClock(T0);
        Timeline t = new Timeline(clock);
        t.fault("node-1", "freeze node-1");
        t.fault("node-2", "freeze node-2");
        t.fault("default/web-0", "kill container app of pod default/web-0 with exit code 137");
        clock.advance(Duration.ofSeconds(1));
        t.fault("node-1", "healed freeze node-1");
        t.fault("node-2", "restart");
        clock.advance(Duration.ofSeconds(1));

        assertThat(TimelineHtml.bands(t.entries(), clock.now())).extracting(b -> b.subject() + " " + b.label() + " "
                + seconds(b.start()) + "-" + seconds(b.end()) + (b.open() ? " open" : "")).containsExactly(
                "node-1 freeze node-1 0-1",
                "node-2 freeze node-2 0-1",
                "default/web-0 kill container app of pod default/web-0 with exit code 137 0-0");
    }

    @Test
    void thePageIsSelfContainedAndItsTextCannotBreakOutOfIt() {
        ManualClock clock = new ManualClock(T0);
        Timeline t = new Timeline(clock);
        t.record(Timeline.NODE, "node/node-1", "Ready", "registered");
        t.fault("client:op", "API fault: </script><img src=x onerror=alert(1)>");

        String html = TimelineHtml.render("a <test>", List.of("seed 42", "mvn test -Dtest='A#b' -Ddrydock.seed=42"),
                t.entries(), 0, clock.now());

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>a &lt;test&gt;</title>")
                .contains("mvn test -Dtest=&#39;A#b&#39; -Ddrydock.seed=42")
                .contains("API fault: &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")
                .contains("API fault: <\\/script><img").contains("\"state\":\"Ready\"");
        assertThat(html.split("</script>", -1)).as("only the page's own two scripts end").hasSize(3);
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain(" src=\"")
                .doesNotContain("<link");
    }

    private static long seconds(Instant t) {
        return Duration.between(T0, t).toSeconds();
    }
}
