/**
 * The flows of DESIGN.md over metadata, storage nodes and the task queue, one class per flow, built
 * together by {@code ObjectService}: {@code Buckets} and {@code BucketSettings}, {@code AccessControls}
 * (ACLs, bucket policy, public access block, ownership controls; S3's rules for them in {@code Acls} and
 * {@code BucketPolicies}), {@code ObjectWrites}
 * (upload, copy, delete: the transaction boundary lives here), {@code ObjectReads} (download with
 * repair), {@code ReadThrough} (a miss fetched from the third party), {@code Listings},
 * {@code MultipartService} and {@code Maintenance} (reset, health, waiting for the queue, the clock); beside them
 * the consistency check, fault injection and read-only inspection. Follow-up work is typed: each
 * {@code Task} kind is one record with its payload codec and handler. Internal: no compatibility
 * promise.
 */
package dev.mockstorage.internal.service;
