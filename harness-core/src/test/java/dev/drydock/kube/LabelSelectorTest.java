package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Label selectors in kube's string form and object form, matched against labels. */
class LabelSelectorTest {

    private static final JsonNode WEB_FE = labels("app", "web", "tier", "fe");
    private static final JsonNode DB = labels("app", "db");
    private static final JsonNode NONE = Json.object();

    @ParameterizedTest(name = "\"{0}\" matches web/fe: {1}, db: {2}, no labels: {3}")
    @CsvSource(delimiter = ';', value = {
        "app=web;                  true;  false; false",
        "app = web;                true;  false; false",
        "app==web;                 true;  false; false",
        "app!=web;                 false; true;  true",
        "app in (web, db);         true;  true;  false",
        "app in(web);              true;  false; false",
        "app notin (web);          false; true;  true",
        "tier;                     true;  false; false",
        "!tier;                    false; true;  true",
        "app=web,tier=fe;          true;  false; false",
        "app in (web,db),!tier;    false; true;  false",
        "example.com/role;         false; false; false",
    })
    void theStringFormMatchesAsKubeDoes(String selector, boolean webFe, boolean db, boolean none) {
        LabelSelector s = LabelSelector.parse(selector);

        assertThat(s.matches(WEB_FE)).as("web/fe").isEqualTo(webFe);
        assertThat(s.matches(DB)).as("db").isEqualTo(db);
        assertThat(s.matches(NONE)).as("no labels").isEqualTo(none);
        assertThat(s.matches(null)).as("null labels").isEqualTo(none);
        // the watch cache's way: interned labels, compared by identity with the selector's own interned strings
        assertThat(s.matchesInterned(interned("app", "web", "tier", "fe"))).as("interned web/fe").isEqualTo(webFe);
        assertThat(s.matchesInterned(interned("app", "db"))).as("interned db").isEqualTo(db);
        assertThat(s.matchesInterned(new String[0])).as("interned, no labels").isEqualTo(none);
    }

    /** Labels as the watch cache keeps them, from strings made afresh (not the literals the selector was parsed from). */
    private static String[] interned(String... keysAndValues) {
        String[] out = new String[keysAndValues.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new String(keysAndValues[i].toCharArray()).intern();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void anEmptyStringSelectsEverything(String selector) {
        LabelSelector s = LabelSelector.parse(selector);

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.matches(NONE)).isTrue();
        assertThat(LabelSelector.parse(null).matches(DB)).isTrue();
    }

    @Test
    void aPrefixedKeyIsAValidKey() {
        LabelSelector s = LabelSelector.parse("app.kubernetes.io/name=web");

        assertThat(s.matches(labels("app.kubernetes.io/name", "web"))).isTrue();
        assertThat(s.matches(labels("name", "web"))).isFalse();
    }

    @Test
    void anEmptyValueMatchesOnlyAnEmptyLabel() {
        LabelSelector s = LabelSelector.parse("app=");

        assertThat(s.matches(labels("app", ""))).isTrue();
        assertThat(s.matches(NONE)).isFalse();
        assertThat(s.matches(DB)).isFalse();
    }

    @Test
    void matchesInternedLooksUpLabelsAlreadyReadOut() {
        String[] labels = interned("app", "web", "tier", "fe");

        assertThat(LabelSelector.parse("app=web,tier in (fe)").matchesInterned(labels)).isTrue();
        assertThat(LabelSelector.parse("app=web,!legacy").matchesInterned(labels)).isTrue();
        assertThat(LabelSelector.parse("app=db").matchesInterned(labels)).isFalse();
        assertThat(LabelSelector.parse("app!=db,tier notin (be, db)").matchesInterned(labels)).isTrue();
        assertThat(LabelSelector.NOTHING.matchesInterned(labels)).isFalse();
    }

    @Test
    void matchesObjectReadsTheObjectsLabels() {
        ObjectNode pod = Json.object();
        Json.with(pod, "metadata").set("labels", labels("app", "web"));

        assertThat(LabelSelector.parse("app=web").matchesObject(pod)).isTrue();
        assertThat(LabelSelector.parse("app=db").matchesObject(pod)).isFalse();
        assertThat(LabelSelector.parse("!app").matchesObject(Json.object())).isTrue();
    }

    @Test
    void aTrailingCommaIsAnError() {
        assertThatThrownBy(() -> LabelSelector.parse("app=web,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: identifier");
    }

    @Test
    void aKeyWithForbiddenCharactersIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> LabelSelector.parse("my key!=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("my key");
        assertThatThrownBy(() -> LabelSelector.parse("-app=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-app");
    }

    @Test
    void aSetWithoutParenthesesIsAnError() {
        assertThatThrownBy(() -> LabelSelector.parse("app in web"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: '('");
    }

    @Test
    void emptyParenthesesAreTheEmptyValueAsInKube() {
        LabelSelector in = LabelSelector.parse("app in ()");
        LabelSelector notIn = LabelSelector.parse("app notin ()");

        assertThat(in.matches(labels("app", ""))).isTrue();
        assertThat(in.matches(DB)).isFalse();
        assertThat(in.matches(NONE)).isFalse();
        assertThat(notIn.matches(labels("app", ""))).isFalse();
        assertThat(notIn.matches(DB)).isTrue();
        assertThat(notIn.matches(NONE)).isTrue();
    }

    @Test
    void anUnclosedSetIsAnErrorThatSaysWhatIsMissing() {
        assertThatThrownBy(() -> LabelSelector.parse("app in (web,db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: ')'");
    }

    @Test
    void aValueThatIsNotALabelValueIsAnError() {
        assertThatThrownBy(() -> LabelSelector.parse("app=not valid!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid label value: \"not valid!\"");
        assertThatThrownBy(() -> LabelSelector.parse("app in (web, -db)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"-db\"");
        assertThatThrownBy(() -> LabelSelector.parse("app=" + "a".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- object form

    @Test
    void matchLabelsAndMatchExpressionsMustAllHold() throws IOException {
        LabelSelector s = LabelSelector.fromObject(json("""
                {"matchLabels": {"app": "web"},
                 "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]},
                                      {"key": "legacy", "operator": "DoesNotExist"}]}
                """));

        assertThat(s.matches(WEB_FE)).isTrue();
        assertThat(s.matches(labels("app", "web", "tier", "db"))).isFalse();
        assertThat(s.matches(labels("app", "web", "tier", "fe", "legacy", "yes"))).isFalse();
        assertThat(s.matches(DB)).isFalse();
    }

    @Test
    void notInAndExistsInTheObjectForm() throws IOException {
        LabelSelector s = LabelSelector.fromObject(json("""
                {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["db"]},
                                      {"key": "tier", "operator": "Exists"}]}
                """));

        assertThat(s.matches(WEB_FE)).isTrue();
        assertThat(s.matches(DB)).isFalse();
        assertThat(s.matches(labels("tier", "x"))).isTrue();
    }

    @Test
    void aNullSelectorSelectsNothingAndAnEmptyOneEverything() throws IOException {
        assertThat(LabelSelector.fromObject(null).matches(WEB_FE)).isFalse();
        assertThat(LabelSelector.fromObject(Json.object().nullNode()).matches(NONE)).isFalse();
        assertThat(LabelSelector.fromObject(json("{}")).matches(NONE)).isTrue();
        assertThat(LabelSelector.fromObject(json("{}")).isEmpty()).isTrue();
        assertThat(LabelSelector.NOTHING.isEmpty()).isFalse();
    }

    @Test
    void aMissingSelectorFieldSelectsNothing() {
        JsonNode spec = Json.object();

        LabelSelector s = LabelSelector.fromObject(spec.path("selector"));

        assertThat(s.matches(NONE)).isFalse();
        assertThat(s.matches(WEB_FE)).isFalse();
    }

    @Test
    void anInExpressionWithoutValuesIsAnError() {
        assertThatThrownBy(() -> LabelSelector.fromObject(json("""
                {"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}
                """)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("for 'in', 'notin' operators, values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromObject(json("""
                {"matchExpressions": [{"key": "app", "operator": "NotIn"}]}
                """)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExistsExpressionWithValuesIsAnError() {
        assertThatThrownBy(() -> LabelSelector.fromObject(json("""
                {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["web"]}]}
                """)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("values set must be empty for exists and does not exist");
    }

    @Test
    void anInvalidKeyInTheObjectFormIsAnError() {
        assertThatThrownBy(() -> LabelSelector.fromObject(json("""
                {"matchLabels": {"bad key": "web"}}
                """)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad key");
    }

    @Test
    void anUnknownOperatorIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> LabelSelector.fromObject(json("""
                {"matchExpressions": [{"key": "app", "operator": "Near", "values": ["web"]}]}
                """)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"Near\" is not a valid label selector operator");
    }

    // ---- helpers

    static ObjectNode labels(String... kv) {
        ObjectNode labels = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            labels.put(kv[i], kv[i + 1]);
        }
        return labels;
    }

    static JsonNode json(String s) throws IOException {
        return Json.MAPPER.readTree(s);
    }
}
