package dev.mockstorage.internal.service;

/** The space-separated fields of a task payload (the last field takes the rest, so it may hold spaces). */
final class PayloadFields {
    private final String kind;
    private final String payload;
    private final String[] fields;

    /** @throws IllegalArgumentException naming the kind when the payload has fewer than {@code count} fields */
    PayloadFields(String kind, String payload, int count) {
        this.kind = kind;
        this.payload = payload;
        this.fields = payload == null ? new String[0] : payload.split(" ", count);
        if (fields.length != count) {
            throw new IllegalArgumentException(
                    "malformed " + kind + " payload (" + count + " fields expected): " + payload);
        }
    }

    String text(int index) {
        return fields[index];
    }

    /** @throws IllegalArgumentException naming the kind when the field is not a whole number */
    long number(int index) {
        try {
            return Long.parseLong(fields[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed " + kind + " payload: " + payload, e);
        }
    }
}
