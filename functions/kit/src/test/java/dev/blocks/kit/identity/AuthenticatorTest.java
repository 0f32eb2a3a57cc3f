package dev.blocks.kit.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.ProblemException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AuthenticatorTest {

    private static final String ALICE_KEY = "bk_alice_0123456789abcdefghij";
    private static final String REVOKED_KEY = "bk_revoked_0123456789abcdefgh";

    /** The key table as a map; counts lookups, as a DynamoDB read count would. */
    private static final class Keys extends ApiKeyStore {
        final Map<String, StoredKey> stored = new HashMap<>();
        int lookups;
        boolean down;

        Keys() {
            super(null, config(20, Duration.ofMinutes(1)));
            stored.put(ALICE_KEY, new StoredKey("key_alice", "alice", false));
            stored.put(REVOKED_KEY, new StoredKey("key_revoked", "bob", true));
        }

        @Override
        public Optional<StoredKey> find(String secret) {
            lookups++;
            if (down) {
                throw SdkClientException.create("connection refused");
            }
            return Optional.ofNullable(stored.get(secret));
        }
    }

    private final Keys keys = new Keys();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Authenticator authenticator = new Authenticator(keys, config(5, Duration.ofSeconds(60)), clock::get);

    static IdentityConfig config(int unknownKeyLimit, Duration window) {
        return new IdentityConfig() {
            @Override
            public String apiKeysTable() {
                return "keys";
            }

            @Override
            public int cacheSeconds() {
                return 30;
            }

            @Override
            public int unknownKeyLimit() {
                return unknownKeyLimit;
            }

            @Override
            public Duration unknownKeyWindow() {
                return window;
            }
        };
    }

    static HttpRequest request(String ip, Map<String, String> headers, Map<String, String> claims) {
        return new HttpRequest("GET /v1/things", "GET", "/v1/things", headers, Map.of(), Map.of(), List.of(),
                new byte[0], ip, "req-1", claims);
    }

    static HttpRequest withKey(String ip, String key) {
        return request(ip, Map.of("x-api-key", key), Map.of());
    }

    static String madeUp(int i) {
        return "bk_made_up_key_number_" + i;
    }

    private int status(HttpRequest request) {
        return catchThrowableOfType(ProblemException.class, () -> authenticator.authenticate(request)).problem().status();
    }

    @Test
    void aTokenUserIsOwnedUnderItsIssuer() {
        Caller caller = authenticator.authenticate(request("192.0.2.1", Map.of(),
                Map.of("sub", "alice", "iss", "https://issuer.test")));
        assertThat(caller.owner()).isEqualTo("jwt:https://issuer.test#alice");
        assertThat(caller.credential()).isEqualTo("jwt:https://issuer.test");
        assertThat(keys.lookups).isZero();
    }

    @Test
    void aTokenSubjectNeverEqualsAnApiKeyOwner() {
        Caller fromKey = authenticator.authenticate(withKey("192.0.2.1", ALICE_KEY));
        Caller fromToken = authenticator.authenticate(request("192.0.2.1", Map.of("x-api-key", ALICE_KEY),
                Map.of("sub", "alice", "iss", "https://issuer.test")));
        assertThat(fromKey.owner()).isEqualTo("alice");
        assertThat(fromToken.owner()).isNotEqualTo(fromKey.owner());
    }

    @Test
    void twoIssuersWithEqualSubjectsAreTwoOwners() {
        Caller one = authenticator.authenticate(request("192.0.2.1", Map.of(), Map.of("sub", "7", "iss", "https://a.test")));
        Caller two = authenticator.authenticate(request("192.0.2.1", Map.of(), Map.of("sub", "7", "iss", "https://b.test")));
        assertThat(one.owner()).isNotEqualTo(two.owner());
    }

    @Test
    void claimsWithoutAnIssuerOrSubjectAreRefusedNotDefaulted() {
        assertThat(status(request("192.0.2.1", Map.of(), Map.of("sub", "alice")))).isEqualTo(401);
        assertThat(status(request("192.0.2.1", Map.of(), Map.of("sub", "alice", "iss", " ")))).isEqualTo(401);
        assertThat(status(request("192.0.2.1", Map.of(), Map.of("iss", "https://issuer.test")))).isEqualTo(401);
        assertThat(status(request("192.0.2.1", Map.of(), Map.of("sub", "x", "iss", "https://a.test#b")))).isEqualTo(401);
        // Claims that cannot name an owner do not fall back to an API key sent alongside.
        assertThat(status(request("192.0.2.1", Map.of("x-api-key", ALICE_KEY), Map.of("sub", "alice")))).isEqualTo(401);
    }

    @Test
    void aStoredKeyWithAnOwnerInTheJwtNamespaceIsRefused() {
        String key = "bk_impostor_0123456789abcdefgh";
        keys.stored.put(key, new ApiKeyStore.StoredKey("key_x", "jwt:https://issuer.test#alice", false));
        assertThat(status(withKey("192.0.2.1", key))).isEqualTo(401);
    }

    @Test
    void madeUpKeysCostNoLookupOnceTheClientsBudgetIsSpent() {
        for (int i = 0; i < 5; i++) {
            assertThat(status(withKey("192.0.2.1", madeUp(i)))).isEqualTo(401);
        }
        assertThat(keys.lookups).isEqualTo(5);

        ProblemException refused = catchThrowableOfType(ProblemException.class,
                () -> authenticator.authenticate(withKey("192.0.2.1", madeUp(5))));
        assertThat(refused.problem().status()).isEqualTo(429);
        assertThat(refused.toResponse().headers()).containsEntry("retry-after", "12");
        for (int i = 6; i < 1000; i++) {
            assertThat(status(withKey("192.0.2.1", madeUp(i)))).isEqualTo(429);
        }
        assertThat(keys.lookups).as("no lookup after the limit").isEqualTo(5);
    }

    @Test
    void revokedKeysSpendTheBudgetAsUnknownOnesDo() {
        for (int i = 0; i < 5; i++) {
            assertThat(status(withKey("192.0.2.1", REVOKED_KEY))).isEqualTo(401);
        }
        assertThat(status(withKey("192.0.2.1", REVOKED_KEY))).isEqualTo(429);
        assertThat(keys.lookups).isEqualTo(5);
    }

    @Test
    void validKeysSpendNothing() {
        for (int i = 0; i < 50; i++) {
            keys.stored.put("bk_valid_key_number_" + i + "_xxxxxx", new ApiKeyStore.StoredKey("k" + i, "o" + i, false));
            assertThat(authenticator.authenticate(withKey("192.0.2.1", "bk_valid_key_number_" + i + "_xxxxxx")).owner())
                    .isEqualTo("o" + i);
        }
        assertThat(keys.lookups).isEqualTo(50);
        for (int i = 0; i < 5; i++) {
            assertThat(status(withKey("192.0.2.1", madeUp(i)))).as("the whole budget is still there").isEqualTo(401);
        }
        assertThat(status(withKey("192.0.2.1", madeUp(5)))).isEqualTo(429);
    }

    @Test
    void aCachedKeyIsServedWithoutALookupEvenWhenTheBudgetIsSpent() {
        authenticator.authenticate(withKey("192.0.2.1", ALICE_KEY));
        for (int i = 0; i < 6; i++) {
            status(withKey("192.0.2.1", madeUp(i)));
        }
        int before = keys.lookups;
        assertThat(authenticator.authenticate(withKey("192.0.2.1", ALICE_KEY)).owner()).isEqualTo("alice");
        assertThat(keys.lookups).isEqualTo(before);
    }

    @Test
    void anotherClientHasItsOwnBudget() {
        for (int i = 0; i < 6; i++) {
            status(withKey("192.0.2.1", madeUp(i)));
        }
        assertThat(status(withKey("192.0.2.1", madeUp(99)))).isEqualTo(429);
        assertThat(status(withKey("192.0.2.2", madeUp(99)))).isEqualTo(401);
        assertThat(authenticator.authenticate(withKey("192.0.2.2", ALICE_KEY)).owner()).isEqualTo("alice");
    }

    @Test
    void oneIpv6Slash64IsOneClient() {
        for (int i = 0; i < 5; i++) {
            assertThat(status(withKey("2001:db8:1:2:" + Integer.toHexString(0x1000 + i) + "::1", madeUp(i)))).isEqualTo(401);
        }
        assertThat(status(withKey("2001:db8:1:2:ffff::9", madeUp(5)))).isEqualTo(429);
        assertThat(status(withKey("2001:db8:1:3::1", madeUp(5)))).as("the next /64").isEqualTo(401);
    }

    @Test
    void theBudgetRefillsOverItsWindow() {
        for (int i = 0; i < 6; i++) {
            status(withKey("192.0.2.1", madeUp(i)));
        }
        assertThat(status(withKey("192.0.2.1", madeUp(6)))).isEqualTo(429);
        clock.addAndGet(11_999);
        assertThat(status(withKey("192.0.2.1", madeUp(6)))).isEqualTo(429);
        clock.addAndGet(1);
        assertThat(status(withKey("192.0.2.1", madeUp(6)))).as("one unit back after 60 s / 5").isEqualTo(401);
        assertThat(status(withKey("192.0.2.1", madeUp(7)))).isEqualTo(429);
    }

    @Test
    void aStoreOutageIsA503AndSpendsNothing() {
        keys.down = true;
        for (int i = 0; i < 10; i++) {
            assertThat(status(withKey("192.0.2.1", madeUp(i)))).isEqualTo(503);
        }
        keys.down = false;
        assertThat(status(withKey("192.0.2.1", madeUp(0)))).isEqualTo(401);
    }

    @Test
    void malformedOrMissingKeysAreRefusedWithoutALookupOrCharge() {
        for (int i = 0; i < 20; i++) {
            assertThat(status(withKey("192.0.2.1", "short"))).isEqualTo(401);
            assertThat(status(request("192.0.2.1", Map.of(), Map.of()))).isEqualTo(401);
        }
        assertThat(keys.lookups).isZero();
        assertThat(status(withKey("192.0.2.1", madeUp(0)))).isEqualTo(401);
    }
}
