package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.base.ManualClock;
import dev.drydock.runtime.ContainerStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A fake container's usage: the sum of its processes', CPU capped at its limit and integrated on the clock. */
class ContainerUsageTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void cpuIsCappedAtTheLimitAndItsTimeAddsUpOnTheClusterClock() {
        ContainerUsage usage = new ContainerUsage("c", clock, 500, 0);
        Object main = new Object();
        Object exec = new Object();

        usage.cpu(main, 300);
        usage.cpu(exec, 400);
        clock.advance(Duration.ofSeconds(2));
        ContainerStats stats = usage.stats();

        assertThat(stats.cpuUsageNanoCores()).isEqualTo(500_000_000L);
        assertThat(stats.cpuUsageCoreNanoSeconds()).isEqualTo(1_000_000_000L); // 0.5 core for 2 s

        usage.exited(exec);
        clock.advance(Duration.ofSeconds(1));
        assertThat(usage.stats().cpuUsageNanoCores()).isEqualTo(300_000_000L);
        assertThat(usage.stats().cpuUsageCoreNanoSeconds()).isEqualTo(1_300_000_000L);
    }

    @Test
    void memoryIsTheSumOfItsProcessesAndGoingOverTheLimitIsSaid() {
        ContainerUsage usage = new ContainerUsage("c", clock, 0, 100);
        Object main = new Object();
        Object exec = new Object();

        assertThat(usage.memory(main, 60)).isFalse();
        assertThat(usage.memory(exec, 40)).isFalse();
        assertThat(usage.stats().memoryWorkingSetBytes()).isEqualTo(100);
        assertThat(usage.memory(exec, 41)).isTrue();
        usage.exited(exec);
        assertThat(usage.stats().memoryWorkingSetBytes()).isEqualTo(60);
        assertThatThrownBy(() -> usage.memory(main, -1)).hasMessageContaining("must not be negative, got -1");
    }
}
