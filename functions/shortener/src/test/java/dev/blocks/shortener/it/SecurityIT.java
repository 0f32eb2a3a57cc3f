package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The shortener attacked as an outsider would, through the local cloud's gateway: another tenant's links, own-domain
 * links spelled in Unicode, international URLs, and a client guessing codes. Each attack is refused and leaves
 * nothing changed.
 */
class SecurityIT {

    /**
     * The test stack's budget of unknown codes per client IP (miss_rate_limits): a token bucket holding 30, refilled
     * with one every 10 s.
     */
    private static final int MISS_BUDGET = 30;
    private static final double REFILL_SECONDS = 10;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
    }

    @Test
    void aTenantCannotReadDeleteOrReadTheStatsOfAnotherTenantsLink() {
        String owner = api.issueKey("tenant-a-" + UUID.randomUUID());
        String intruder = api.issueKey("tenant-b-" + UUID.randomUUID());
        String code = api.created(owner, "{\"url\":\"https://example.com/private-a\"}").path("code").asText();

        for (HttpResponse<String> attempt : List.of(
                api.get(intruder, "/v1/links/" + code),
                api.get(intruder, "/v1/links/" + code + "/stats"),
                api.delete(intruder, "/v1/links/" + code))) {
            Api.problem(attempt, 404);
            // Exactly what an unknown code answers: nothing tells the intruder that the code exists.
            assertThat(attempt.body()).doesNotContain("example.com", "private-a");
        }
        assertThat(api.get(intruder, "/v1/links/zzzzzzz").statusCode()).isEqualTo(404);

        HttpResponse<String> stillThere = api.redirect(code);
        assertThat(stillThere.statusCode()).isEqualTo(302);
        assertThat(stillThere.headers().firstValue("location")).hasValue("https://example.com/private-a");
        HttpResponse<String> ownersView = api.get(owner, "/v1/links/" + code);
        assertThat(ownersView.statusCode()).isEqualTo(200);
        assertThat(Api.json(ownersView).path("url").asText()).isEqualTo("https://example.com/private-a");
        assertThat(api.get(owner, "/v1/links/" + code + "/stats").statusCode()).isEqualTo(200);
    }

    @Test
    void ownDomainLinksSpelledInUnicodeAreRefusedAndNothingIsStored() throws Exception {
        // sho.rt is the shortener's own domain in the test stack (own_hosts).
        String ownerName = "idn-" + UUID.randomUUID();
        String key = api.issueKey(ownerName);
        for (String url : new String[] {"https://ｓｈｏ.ｒｔ/x", "https://sho。rt/x", "https://sho｡rt/x", "https://sho．rt/x",
                "https://ＳＨＯ.ＲＴ./x", "https://eu.ｓｈｏ.ｒｔ/x", "https://ｓｈｏ.ｒｔ：443/x"}) {
            HttpResponse<String> response = api.create(key, "{\"url\":" + Api.JSON.writeValueAsString(url) + "}");
            JsonNode error = Api.problem(response, 400).path("errors").get(0);
            assertThat(error.path("field").asText()).as(url).isEqualTo("url");
            assertThat(error.path("message").asText()).as(url).contains("shortener itself");
        }
        assertThat(linksOwnedBy(ownerName)).isZero();

        // The count sees what this owner stores: one real link shows up.
        api.created(key, "{\"url\":\"https://example.com/idn-control\"}");
        assertThat(linksOwnedBy(ownerName)).isEqualTo(1);
    }

    @Test
    void anInternationalUrlIsStoredAndRedirectedAsAscii() throws Exception {
        String key = api.issueKey("intl-" + UUID.randomUUID());
        String ascii = "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4";
        JsonNode link = api.created(key, "{\"url\":" + Api.JSON.writeValueAsString("https://bücher.example/straße?q=ä") + "}");
        assertThat(link.path("url").asText()).isEqualTo(ascii);
        String code = link.path("code").asText();

        try (DynamoDbClient dynamo = api.dynamo()) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(Cloud.TABLE).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(code), "sk", AttributeValue.fromS("link")))).item();
            assertThat(item.get("url").s()).isEqualTo(ascii);
        }
        Api.RawAnswer redirect = api.redirectFrom("127.0.0.1", code);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().get("location")).isEqualTo(ascii);
        assertThat(Api.json(api.get(key, "/v1/links/" + code)).path("url").asText()).isEqualTo(ascii);
    }

    @Test
    void aClientGuessingCodesIsRefusedAfterItsBudgetWithoutFurtherReadsWhileAnotherClientIsServed() {
        String guesser = "127.0.0.81";
        String bystander = "127.0.0.82";
        String key = api.issueKey("guess-" + UUID.randomUUID());
        String known = api.created(key, "{\"url\":\"https://example.com/known\"}").path("code").asText();

        // Every miss costs a DynamoDB read until the budget is spent: the count moves.
        long before = linkReads();
        assertThat(api.redirectFrom(guesser, randomCode()).status()).isEqualTo(404);
        assertThat(linkReads()).isGreaterThan(before);

        long started = System.nanoTime();
        int misses = 1;
        Api.RawAnswer refused = null;
        while (misses < 4 * MISS_BUDGET) {
            Api.RawAnswer answer = api.redirectFrom(guesser, randomCode());
            if (answer.status() != 404) {
                refused = answer;
                break;
            }
            misses++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(refused).as("no refusal after " + misses + " unknown codes").isNotNull();
        // The bucket refills while the loop runs, so it ends a little after 30.
        assertThat(misses).isBetween(MISS_BUDGET, MISS_BUDGET + (int) Math.ceil(seconds / REFILL_SECONDS) + 1);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("content-type", "application/problem+json").containsKey("retry-after");
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(refused.body()).contains("rate-limited");

        // Past the budget, guesses are refused before DynamoDB is asked. Only the refill lets one through now and
        // then (a 404, one read), and the guess after it finds the budget spent again (a 429 after one read): so
        // at most two reads per refilled unit, however many guesses arrive.
        long afterBudget = linkReads();
        long phase = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            Api.RawAnswer answer = api.redirectFrom(guesser, randomCode());
            assertThat(answer.status()).isIn(404, 429);
            if (answer.status() == 404) {
                admitted++;
            } else {
                assertThat(answer.headers()).containsKey("retry-after");
            }
        }
        double phaseSeconds = (System.nanoTime() - phase) / 1e9;
        assertThat(admitted).isLessThanOrEqualTo(1 + (int) Math.ceil(phaseSeconds / REFILL_SECONDS));
        assertThat(linkReads() - afterBudget).isLessThanOrEqualTo(2L * admitted + 1);

        // Another client is served as ever: its unknown codes are 404, links redirect.
        assertThat(api.redirectFrom(bystander, randomCode()).status()).isEqualTo(404);
        Api.RawAnswer redirect = api.redirectFrom(bystander, known);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().get("location")).isEqualTo("https://example.com/known");
    }

    /** A well-formed code that no link has: one of 62^7 (3.5 × 10^12), while the tests create a few thousand links. */
    private static String randomCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            code.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return code.toString();
    }

    /** GetItem requests on the links table that reached DynamoDB, as the local cloud counted them. */
    private static long linkReads() {
        return CLOUD.dynamoDbRequests(Cloud.TABLE, "GetItem");
    }

    private static long linksOwnedBy(String owner) {
        try (DynamoDbClient dynamo = api.dynamo()) {
            return dynamo.scanPaginator(b -> b.tableName(Cloud.TABLE).consistentRead(true)
                            .filterExpression("#owner = :owner")
                            .expressionAttributeNames(Map.of("#owner", "owner"))
                            .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))))
                    .stream().mapToLong(page -> page.count()).sum();
        }
    }
}
