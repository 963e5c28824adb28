package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.MultipartLayout;
import dev.mockstorage.internal.metadata.ObjectRecord;

/** The MD5 of an object's whole content, which every replica of its blob must have. */
final class ContentMd5 {
    private ContentMd5() {}

    /**
     * The MD5 (hex) a replica of the object must have: its ETag, or for a multipart object (whose ETag
     * is the MD5 of its parts' MD5s) the whole-content MD5 kept with its layout; null when unknown.
     */
    static String expected(MetadataStore metadata, ObjectRecord object) {
        return expected(metadata, object.bucket(), object.key(), object.blobId(), object.etag());
    }

    /** {@link #expected(MetadataStore, ObjectRecord)} from the object's fields. */
    static String expected(MetadataStore metadata, String bucket, String key, String blobId, String etag) {
        String md5 = ofEtag(etag);
        if (md5 == null && etag != null && etag.indexOf('-') > 0) {
            md5 = metadata.multipartLayout(bucket, key, blobId)
                    .map(MultipartLayout::contentMd5)
                    .orElse(null);
        }
        return md5;
    }

    /** The ETag when it is a content MD5 (32 lower-case hex), else null (e.g. multipart). */
    private static String ofEtag(String etag) {
        if (etag == null || etag.length() != 32) {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            char c = etag.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return etag;
    }
}
