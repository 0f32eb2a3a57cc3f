package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the endpoints document the cloud server writes once it is ready. */
final class EndpointsJson {

    // The server may describe more than this fixture knows; new fields must not break older test code.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EndpointsJson() {}

    static Endpoints parse(String json) {
        try {
            return MAPPER.readValue(json, Endpoints.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The local cloud wrote endpoints this fixture cannot read: " + json, e);
        }
    }
}
