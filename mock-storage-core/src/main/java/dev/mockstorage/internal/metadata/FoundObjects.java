package dev.mockstorage.internal.metadata;

import java.util.List;

/**
 * A page of {@link MetadataStore#findObjects}: the objects found, and, when the walk stopped at its budget
 * of examined rows before the end of its range, the last row it examined: the next page goes on strictly
 * after it. A page can then hold fewer objects than asked for, even none, and still not be the last.
 *
 * @param objects        the matching objects, in (bucket, key) order
 * @param stoppedAtBucket the bucket of the last row examined when the walk stopped early, else null
 * @param stoppedAtKey    its key, else null
 */
public record FoundObjects(List<ObjectRecord> objects, String stoppedAtBucket, String stoppedAtKey) {
    /** Nothing found, nothing left. */
    public static final FoundObjects NONE = new FoundObjects(List.of(), null, null);

    public FoundObjects {
        objects = List.copyOf(objects);
    }

    /** True when rows after {@link #stoppedAtKey} were not examined. */
    public boolean stoppedEarly() {
        return stoppedAtBucket != null;
    }
}
