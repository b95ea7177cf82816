package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Uids and generated suffixes are keyed draws from the seed: the same key and count give the same value, a key created
 * again a new one, an API server started over a store that moved on new ones, and forgetting the counts (a new
 * generation) never repeats a uid.
 */
class ObjectIdsTest {

    @Test
    void theSameSeedKeyAndCountGiveTheSameUidWhateverElseWasDrawnBetween() {
        ObjectIds one = new ObjectIds(1, () -> 5);
        ObjectIds two = new ObjectIds(1, () -> 5);

        String first = one.uid("/registry/core/configmaps/default/a");
        two.uid("/registry/core/configmaps/default/other"); // another client's create, in between
        two.suffix("/registry/core/pods/default/", "web-");

        assertThat(two.uid("/registry/core/configmaps/default/a")).isEqualTo(first)
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(one.uid("/registry/core/configmaps/default/a")).as("created again").isNotEqualTo(first);
        assertThat(new ObjectIds(2, () -> 5).uid("/registry/core/configmaps/default/a")).as("another seed")
                .isNotEqualTo(first);
        assertThat(new ObjectIds(1, () -> 9).uid("/registry/core/configmaps/default/a"))
                .as("an API server started again over a store that moved on").isNotEqualTo(first);
        assertThat(new ObjectIds(1, () -> 5).uid("/registry/core/configmaps/défaut/a"))
                .as("a key that is not ASCII").isEqualTo(new ObjectIds(1, () -> 5)
                        .uid("/registry/core/configmaps/défaut/a")).isNotEqualTo(first)
                .isNotEqualTo(new ObjectIds(1, () -> 5).uid("/registry/core/configmaps/d?faut/a"));
    }

    @Test
    void suffixesFollowEachPrefixInOrderWhateverOtherPrefixesDraw() {
        ObjectIds one = new ObjectIds(1, () -> 0);
        ObjectIds two = new ObjectIds(1, () -> 0);
        List<String> web = new ArrayList<>();
        List<String> webAgain = new ArrayList<>();

        for (int i = 0; i < 3; i++) {
            web.add(one.suffix("/registry/core/pods/default/", "web-"));
            two.suffix("/registry/core/pods/default/", "db-");
            webAgain.add(two.suffix("/registry/core/pods/default/", "web-"));
        }

        assertThat(webAgain).isEqualTo(web).doesNotHaveDuplicates()
                .allMatch(s -> s.matches("[bcdfghjklmnpqrstvwxz2456789]{5}"));
        assertThat(one.suffix("/registry/core/pods/other/", "web-")).as("another namespace")
                .isNotEqualTo(web.get(0));
    }

    @Test
    void forgettingTheCountsStartsANewGenerationThatRepeatsNoUid() {
        AtomicInteger revisionReads = new AtomicInteger();
        ObjectIds ids = new ObjectIds(1, () -> {
            revisionReads.incrementAndGet();
            return 3;
        }, 10);
        Set<String> uids = new HashSet<>();

        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 4; k++) {
                assertThat(uids.add(ids.uid("/registry/core/configmaps/default/k" + k))).isTrue();
            }
        }

        assertThat(uids).hasSize(20);
        assertThat(revisionReads).as("the store's revision is read once").hasValue(1);
    }
}
