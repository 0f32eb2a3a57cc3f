package dev.blocks.kit.validation;

/**
 * One refused field of a request: where it is (a JSON path such as {@code tags[0]}, or a query parameter) and
 * why. The one such record: domain rules return it, and a problem's {@code errors} list is made of it as it is.
 * Plain Java, so domain code uses it without depending on the HTTP layer.
 */
public record FieldError(String field, String message) {}
