package dev.blocks.localcloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the local Lambda service (our own interface, not an AWS API): records every event it is invoked
 * with and answers as the test's function would.
 */
final class RecordingFunction implements FunctionInvoker {

    /** What the function does with its {@code invocation}-th event (counted from 0). */
    interface Behaviour {
        String answer(JsonNode event, int invocation) throws FunctionError;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> functionNames = new CopyOnWriteArrayList<>();
    private final Behaviour behaviour;

    RecordingFunction(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    static RecordingFunction succeeding() {
        return new RecordingFunction((event, invocation) -> "null");
    }

    static FunctionError error(String message) {
        byte[] payload = ("{\"errorType\":\"RuntimeException\",\"errorMessage\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new FunctionError("RuntimeException", message, payload);
    }

    @Override
    public byte[] invoke(String functionName, byte[] payload) throws FunctionError {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int invocation;
        synchronized (this) {
            invocation = events.size();
            events.add(event);
            functionNames.add(functionName);
        }
        String answer = behaviour.answer(event, invocation);
        return answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
    }

    List<JsonNode> events() {
        return events;
    }

    List<String> functionNames() {
        return functionNames;
    }
}
