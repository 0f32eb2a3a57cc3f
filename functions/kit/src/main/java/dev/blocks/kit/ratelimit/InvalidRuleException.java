package dev.blocks.kit.ratelimit;

import dev.blocks.kit.validation.FieldError;
import java.util.List;

/** A rule that cannot be used, with every field that is wrong (a 400 problem+json carries them as errors[]). */
public final class InvalidRuleException extends IllegalArgumentException {

    private final List<FieldError> errors;

    public InvalidRuleException(List<FieldError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder text = new StringBuilder("invalid rule:");
        errors.forEach(e -> text.append(' ').append(e.field()).append(": ").append(e.message()).append(';'));
        return text.toString();
    }
}
