package dev.blocks.ratelimit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminOwnersTest {

    @Test
    void unsetOrEmptyMeansNobody() {
        for (AdminOwners none : List.of(AdminOwners.of(Optional.empty()), AdminOwners.of(Optional.of(List.of())),
                AdminOwners.of(Optional.of(List.of("", "  "))))) {
            assertThat(none.anyone()).isFalse();
            assertThat(none.allows("ops")).isFalse();
            assertThat(none.allows("")).isFalse();
            assertThat(none.allows(null)).isFalse();
        }
    }

    @Test
    void onlyTheNamedOwnersMayManageRules() {
        AdminOwners admins = AdminOwners.of(Optional.of(List.of("ops", " jwt:https://issuer.test#alice ")));
        assertThat(admins.anyone()).isTrue();
        assertThat(admins.allows("ops")).isTrue();
        assertThat(admins.allows("jwt:https://issuer.test#alice")).isTrue();
        assertThat(admins.allows("alice")).as("a token user's bare subject is not the token user").isFalse();
        assertThat(admins.allows("Ops")).isFalse();
        assertThat(admins.allows("mallory")).isFalse();
    }
}
