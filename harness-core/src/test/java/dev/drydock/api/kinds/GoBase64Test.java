package dev.drydock.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where Go's {@code base64.StdEncoding} stops, which is the byte kube's decoder names in its 400. */
class GoBase64Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "YWJj|-1",
        "YWI=|-1",
        "YQ==|-1",
        "''|-1",
        "YWJj\\nZGVm|-1",
        "YWJ|0",          // a short final quantum: the padding is missing
        "YWJjYQ|4",
        "YQ=|3",          // "==" expected, the input ends after the first
        "YQ=x|2",
        "Y===|1",         // padding too early
        "YWJj ZGVm|4",
        "YWI=YWJj|4",     // data after the padding
        "plain text|5",
        "not base64|3"})
    void stopsWhereGoStops(String input, int index) {
        assertThat(ConfigDataStrategies.illegalBase64At(input.replace("\\n", "\n"))).isEqualTo(index);
    }
}
