package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.journal.RequestPattern;
import dev.mockstorage.junit5.MockStorage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The in-process way in: a fresh server per test, from mock-storage-junit5's coordinates alone. */
@MockStorage(buckets = "uploads")
class UploadServiceTest {

    @Test
    void storesAndReadsBackAnUpload(MockStorageRuntime storage, S3Client s3) {
        s3.putObject(b -> b.bucket("uploads").key("a.txt"), RequestBody.fromString("hello"));

        assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket("uploads").key("a.txt")).asUtf8String());
        storage.requests().verify(RequestPattern.putObject("uploads", "a.txt"));
    }
}
