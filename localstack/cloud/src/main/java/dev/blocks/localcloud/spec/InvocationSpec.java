package dev.blocks.localcloud.spec;

/**
 * An {@code aws_lambda_invocation}: Terraform invokes {@code functionName} with {@code input} while it applies (the
 * root stack creates its Kafka topics that way), so the local cloud invokes it once everything is up, and a failure
 * fails the start as it fails the apply.
 */
public record InvocationSpec(String address, String functionName, String input) {}
