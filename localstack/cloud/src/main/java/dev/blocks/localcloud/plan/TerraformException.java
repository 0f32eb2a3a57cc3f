package dev.blocks.localcloud.plan;

/** Terraform could not produce a plan: it is not installed, or init, plan or show failed (with its output). */
public final class TerraformException extends Exception {

    TerraformException(String message) {
        super(message);
    }

    TerraformException(String message, Throwable cause) {
        super(message, cause);
    }
}
