package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written checks answer exactly as apimachinery's regexes do, over chosen and random strings. */
class NameRulesTest {

    static final String ALPHABET = "abcz09AZ-_./:é \u0000";

    static List<String> strings() {
        List<String> out = new ArrayList<>(List.of("", "a", "A", "0", "-", ".", "_", "a-", "-a", "a.b", "a..b", ".a",
                "a.", "a-b.c-d", "Ab", "a_b", "a.b_c-D", "ä", "web-0", "example.com", "x".repeat(300)));
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            out.add(b.toString());
        }
        return out;
    }

    static void assertSameAs(String regex, Predicate<String> check) {
        Pattern p = Pattern.compile(regex);
        for (String s : strings()) {
            assertThat(check.test(s)).as("%s against %s", s, regex).isEqualTo(p.matcher(s).matches());
        }
    }

    @Test
    void eachCheckAnswersAsKubesRegex() {
        assertSameAs("[a-z0-9]([-a-z0-9]*[a-z0-9])?", NameRules::isDns1123Label);
        assertSameAs("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", NameRules::isDns1123Subdomain);
        assertSameAs("[a-z]([-a-z0-9]*[a-z0-9])?", NameRules::isDns1035Label);
        assertSameAs("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?", NameRules::isQualifiedNamePart);
        assertSameAs("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", NameRules::isLabelValueSyntax);
    }
}
