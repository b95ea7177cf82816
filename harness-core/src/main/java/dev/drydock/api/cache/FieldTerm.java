package dev.drydock.api.cache;

/**
 * One requirement of a field selector, already checked against the fields the kind can be selected by:
 * {@code field=value} ({@code equals}) or {@code field!=value}.
 */
public record FieldTerm(String field, boolean equals, String value) {
}
