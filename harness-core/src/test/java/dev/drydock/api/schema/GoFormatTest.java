package dev.drydock.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.kube.Json;
import org.junit.jupiter.api.Test;

class GoFormatTest {

    @Test
    void quotesAsStrconvQuote() {
        assertThat(GoFormat.quote("abc")).isEqualTo("\"abc\"");
        assertThat(GoFormat.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoFormat.quote("a\nb\tc")).isEqualTo("\"a\\nb\\tc\"");
        assertThat(GoFormat.quote("\u0001")).isEqualTo("\"\\x01\"");
        assertThat(GoFormat.quote("héllo")).isEqualTo("\"héllo\"");
        assertThat(GoFormat.quote("\u00a0")).isEqualTo("\"\\u00a0\"");
    }

    @Test
    void printsFloatsAsPercentV() {
        assertThat(GoFormat.float64(10)).isEqualTo("10");
        assertThat(GoFormat.float64(1.5)).isEqualTo("1.5");
        assertThat(GoFormat.float64(-0.25)).isEqualTo("-0.25");
        assertThat(GoFormat.float64(100000)).isEqualTo("100000");
        assertThat(GoFormat.float64(1000000)).isEqualTo("1e+06");
        assertThat(GoFormat.float64(1234567)).isEqualTo("1.234567e+06");
        assertThat(GoFormat.float64(0.0001)).isEqualTo("0.0001");
        assertThat(GoFormat.float64(0.00001)).isEqualTo("1e-05");
    }

    @Test
    void printsJsonNumbersAsKubeDecodesThem() throws Exception {
        assertThat(GoFormat.number(Json.parse("11".getBytes()))).isEqualTo("11");
        assertThat(GoFormat.number(Json.parse("2.0".getBytes()))).isEqualTo("2");
        assertThat(GoFormat.number(Json.parse("2.5".getBytes()))).isEqualTo("2.5");
        assertThat(GoFormat.isInt64(Json.parse("2.0".getBytes()))).isFalse();
    }
}
