package dev.drydock.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a failing periodic task is reported: seen by a user, without a warning per tick. */
class PeriodicTest {

    @Test
    void aStreakOfTheSameFailureWarnsAtTheFirstThenAt10And100And1000() {
        assertThat(IntStream.rangeClosed(1, 2000).filter(n -> Periodic.warns(n, n == 1)))
                .containsExactly(1, 10, 100, 1000);
    }

    @Test
    void anotherErrorWarnsAgainAtOnce() {
        assertThat(Periodic.warns(7, true)).isTrue();
        assertThat(Periodic.warns(7, false)).isFalse();
    }
}
