package dev.blocks.kit.lambda;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Lambda function role of an artifact. An artifact (one Quarkus module) is deployed as several Lambda
 * functions; each deployment sets {@code BLOCKS_FUNCTION} to the role it plays and {@link FunctionDispatcher}
 * hands every invocation to the bean whose {@link #name()} matches. Implement one of the typed sub-interfaces
 * ({@link dev.blocks.kit.http.HttpFunction}, {@link dev.blocks.kit.sqs.SqsFunction}, {@link ScheduledFunction},
 * {@link KafkaFunction}) or this one directly for a plain Invoke API function, and name the bean by its role
 * ({@code @Named(NAME)} with {@code name()} returning the same constant): the dispatcher then creates only the
 * function a Lambda function plays, not every role of the artifact with all their dependencies.
 */
public interface LambdaFunction {

    /** The role name, as Terraform sets it in {@code BLOCKS_FUNCTION} (e.g. {@code links-api}). */
    String name();

    /** Handles one event (the raw JSON Lambda delivered) and returns the response document (may be null). */
    JsonNode invoke(JsonNode event) throws Exception;
}
