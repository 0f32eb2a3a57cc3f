package dev.blocks.ratelimit.it;

import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;

/** The rate-limit API as a client sees it: plain java.net.http requests through the local cloud's gateway. */
final class Api extends CloudClient {

    Api(LocalCloudExtension cloud) {
        super(cloud, Cloud.PREFIX);
    }

    HttpResponse<String> check(String apiKey, String rule, String key) {
        return post(apiKey, "/v1/ratelimit/check", JSON.createObjectNode().put("rule", rule).put("key", key).toString());
    }

    HttpResponse<String> check(String apiKey, String rule, String key, long cost) {
        return post(apiKey, "/v1/ratelimit/check",
                JSON.createObjectNode().put("rule", rule).put("key", key).put("cost", cost).toString());
    }

    /** PUTs a rule and fails unless the admin API took it (201 or 200). */
    void putRule(String adminKey, String id, String ruleJson) {
        HttpResponse<String> response = put(adminKey, "/v1/ratelimit/rules/" + id, ruleJson);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("PUT rule " + id + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
