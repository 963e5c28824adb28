package dev.mockstorage.internal.metadata;

/**
 * Which objects {@link MetadataStore#findObjects} returns; every field is optional (null: no filter).
 *
 * @param bucket            only this bucket
 * @param prefix            only keys starting with it
 * @param substring         only keys containing it (case-sensitive)
 * @param glob              only keys matching this glob as a whole ({@code *} any run, {@code ?} one
 *                          character; every other character, {@code [} included, is literal)
 * @param contentTypePrefix only objects whose Content-Type starts with it (e.g. {@code image/})
 * @param minSize           only objects of at least this many bytes
 * @param maxSize           only objects of at most this many bytes
 */
public record ObjectQuery(
        String bucket,
        String prefix,
        String substring,
        String glob,
        String contentTypePrefix,
        Long minSize,
        Long maxSize) {

    /** Every object. */
    public static ObjectQuery all() {
        return new ObjectQuery(null, null, null, null, null, null, null);
    }
}
