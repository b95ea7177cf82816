package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes resource quantities: decimal and binary suffixes, exponents, and what kube rejects. */
class QuantityTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "100m,   0.1",
        "1.5,    1.5",
        "128Mi,  134217728",
        "1Ki,    1024",
        "2Gi,    2147483648",
        "1G,     1000000000",
        "1k,     1000",
        "500M,   500000000",
        "2e3,    2000",
        "1E3,    1000",
        "1e-3,   0.001",
        "250u,   0.00025",
        "10n,    0.00000001",
        "0,      0",
        "+1,     1",
        "-1,     -1",
        ".5,     0.5",
    })
    void parsesWhatKubeAccepts(String quantity, String expected) {
        assertThat(Quantity.parse(quantity)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void aCapitalEAloneIsTheExaSuffixNotAnExponent() {
        assertThat(Quantity.parse("1E")).isEqualByComparingTo(new BigDecimal("1e18"));
        assertThat(Quantity.parse("2Ei")).isEqualByComparingTo(new BigDecimal(2L << 60));
        assertThat(Quantity.parse("1E2")).isEqualByComparingTo(new BigDecimal("100"));
    }

    @Test
    void milliValueRoundsUpAsKubeDoes() {
        assertThat(Quantity.milli("100m")).isEqualTo(100);
        assertThat(Quantity.milli("1.5")).isEqualTo(1500);
        assertThat(Quantity.milli("2")).isEqualTo(2000);
        assertThat(Quantity.milli("0.0001")).isEqualTo(1);
    }

    @Test
    void valueRoundsUpToAWholeNumber() {
        assertThat(Quantity.value("128Mi")).isEqualTo(134_217_728L);
        assertThat(Quantity.value("100m")).isEqualTo(1);
        assertThat(Quantity.value("110")).isEqualTo(110);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1K", "1ki", "1e", "Mi", "1 Mi", "1Mix", ".", "1e3.5"})
    void rejectsMalformedQuantitiesWithKubesMessage(String quantity) {
        assertThatThrownBy(() -> Quantity.parse(quantity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantities must match the regular expression "
                        + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
}
