package dev.mockstorage.internal.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void closedOpenAndSuffixRanges() {
        assertEquals(new ByteRange(0, 4), ByteRange.parse("bytes=0-4", 10));
        assertEquals(new ByteRange(5, 9), ByteRange.parse("bytes=5-", 10));
        assertEquals(new ByteRange(7, 9), ByteRange.parse("bytes=-3", 10));
        assertEquals(
                new ByteRange(0, 9),
                ByteRange.parse("bytes=-30", 10),
                "a suffix longer than the object is the whole object");
        assertEquals(new ByteRange(8, 9), ByteRange.parse("bytes=8-100", 10), "the end is clamped to the object");
        assertEquals("bytes 8-9/10", ByteRange.parse("bytes=8-100", 10).contentRange(10));
    }

    @Test
    void syntaxS3IgnoresGivesTheWholeObject() {
        assertNull(ByteRange.parse(null, 10));
        assertNull(ByteRange.parse("bytes=5-2", 10));
        assertNull(ByteRange.parse("items=0-1", 10));
        assertNull(ByteRange.parse("bytes=0-1,3-4", 10), "several ranges: S3 answers the whole object");
        assertNull(ByteRange.parse("bytes=-", 10));
    }

    @Test
    void unsatisfiableRangesAreInvalidRange() {
        StorageException e = assertThrows(StorageException.class, () -> ByteRange.parse("bytes=10-", 10));
        assertEquals(ErrorCode.InvalidRange, e.code());
        assertEquals("10", e.details().get("ActualObjectSize"));
        assertEquals(
                ErrorCode.InvalidRange,
                assertThrows(StorageException.class, () -> ByteRange.parse("bytes=0-", 0))
                        .code());
        assertEquals(
                ErrorCode.InvalidRange,
                assertThrows(StorageException.class, () -> ByteRange.parse("bytes=-0", 10))
                        .code());
    }
}
