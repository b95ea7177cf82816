package dev.drydock.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Identities: a token each, found from an {@code Authorization} header, drawn from the seed. */
class IdentitiesTest {

    @Test
    void anIdentityIsFoundByItsBearerTokenInAnyCaseOfTheScheme() {
        Identities ids = new Identities(42);
        Identities.Identity op = ids.identity("operator");
        assertThat(ids.ofAuthorization("Bearer " + op.token())).isSameAs(op);
        assertThat(ids.ofAuthorization("bearer " + op.token())).isSameAs(op);
        assertThat(ids.ofAuthorization("Bearer nope")).isNull();
        assertThat(ids.ofAuthorization("Basic " + op.token())).isNull();
        assertThat(ids.ofAuthorization(null)).isNull();
        assertThat(ids.ofAuthorization("Bearer ")).isNull();
        assertThat(op.party()).isEqualTo("client:operator");
        assertThat(op.user().username()).isEqualTo("operator");
        assertThat(op.user().groups()).containsExactly(UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED);
        assertThat(op.toString()).doesNotContain(op.token());
    }

    @Test
    void tokensComeFromTheSeedAndTheNameNotTheOrderOfMaking() {
        Identities a = new Identities(7);
        a.identity("x");
        Identities b = new Identities(7);
        assertThat(b.identity("operator").token()).isEqualTo(a.identity("operator").token());
        assertThat(new Identities(8).identity("operator").token()).isNotEqualTo(a.identity("operator").token());
        assertThat(a.names()).containsExactly("operator", "x");
    }

    @Test
    void aNameMustBeADnsSubdomainOfAtMost63Characters() {
        Identities ids = new Identities(1);
        for (String bad : new String[] {"", "Operator", "-op", "op-", "a b", "x".repeat(64)}) {
            assertThatThrownBy(() -> ids.identity(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got '" + bad + "'");
        }
        assertThatThrownBy(() -> ids.identity(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ids.identity("x".repeat(63)).name()).hasSize(63);
        assertThat(ids.names()).containsExactly("x".repeat(63));
    }
}
