package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema as a list of migrations; {@code PRAGMA user_version} records how many have run.
 * Append a migration to change the schema; never edit one that has shipped.
 */
final class Schema {
    private Schema() {}

    /** Migration {@code i} takes the database from version {@code i} to {@code i + 1}. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE buckets (
                        name       TEXT    NOT NULL PRIMARY KEY,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    // keys compare with BINARY collation on UTF-8 text: UTF-8 byte order, S3's listing order
                    """
                    CREATE TABLE objects (
                        bucket        TEXT    NOT NULL REFERENCES buckets(name),
                        key           TEXT    NOT NULL,
                        blob_id       TEXT    NOT NULL,
                        size          INTEGER NOT NULL,
                        etag          TEXT    NOT NULL,
                        content_type  TEXT,
                        last_modified INTEGER NOT NULL,
                        user_metadata TEXT,
                        headers       TEXT,
                        checksums     TEXT,
                        PRIMARY KEY (bucket, key)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE tasks (
                        id          INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind        TEXT    NOT NULL,
                        payload     TEXT,
                        state       TEXT    NOT NULL,
                        attempts    INTEGER NOT NULL DEFAULT 0,
                        created_at  INTEGER NOT NULL,
                        next_run_at INTEGER NOT NULL,
                        last_error  TEXT
                    )""",
                    "CREATE INDEX tasks_by_state ON tasks (state, next_run_at)"),
            // 2: per-bucket statistics and tasks queued at most once per key (e.g. one repair per blob)
            List.of(
                    // objects/bytes change in the transaction that changes the objects; uploads/uploaded_bytes/
                    // last_upload_at are applied by the upload-completed task
                    """
                    CREATE TABLE bucket_stats (
                        bucket         TEXT    NOT NULL PRIMARY KEY REFERENCES buckets(name) ON DELETE CASCADE,
                        objects        INTEGER NOT NULL DEFAULT 0,
                        bytes          INTEGER NOT NULL DEFAULT 0,
                        uploads        INTEGER NOT NULL DEFAULT 0,
                        uploaded_bytes INTEGER NOT NULL DEFAULT 0,
                        last_upload_at INTEGER
                    ) WITHOUT ROWID""",
                    """
                    INSERT INTO bucket_stats (bucket, objects, bytes)
                    SELECT b.name,
                           (SELECT count(*) FROM objects o WHERE o.bucket = b.name),
                           (SELECT coalesce(sum(o.size), 0) FROM objects o WHERE o.bucket = b.name)
                    FROM buckets b""",
                    "ALTER TABLE tasks ADD COLUMN unique_key TEXT",
                    "CREATE UNIQUE INDEX tasks_by_unique_key ON tasks (unique_key) WHERE unique_key IS NOT NULL"),
            // 3: object versions the consistency check found without any intact replica (GET/HEAD answer an
            // error fast); a row goes when the object is overwritten or deleted, or a later check finds a copy
            List.of("""
                    CREATE TABLE damaged_blobs (
                        blob_id     TEXT    NOT NULL PRIMARY KEY,
                        bucket      TEXT    NOT NULL,
                        key         TEXT    NOT NULL,
                        reason      TEXT,
                        detected_at INTEGER NOT NULL
                    ) WITHOUT ROWID"""),
            // 4: multipart uploads. Upload ids sort in initiation order, so (bucket, key, upload_id) is
            // ListMultipartUploads' order. Each part is its own blob until CompleteMultipartUpload
            // assembles one blob of them; multipart_objects keeps, per completed object, its whole-content
            // MD5 (reads verify against it; the ETag is not one) and its part sizes (GET ?partNumber=N).
            List.of(
                    """
                    CREATE TABLE uploads (
                        bucket             TEXT    NOT NULL,
                        key                TEXT    NOT NULL,
                        upload_id          TEXT    NOT NULL UNIQUE,
                        initiated          INTEGER NOT NULL,
                        content_type       TEXT,
                        user_metadata      TEXT,
                        headers            TEXT,
                        checksum_algorithm TEXT,
                        checksum_type      TEXT,
                        PRIMARY KEY (bucket, key, upload_id)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE upload_parts (
                        upload_id     TEXT    NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
                        part_number   INTEGER NOT NULL,
                        blob_id       TEXT    NOT NULL,
                        size          INTEGER NOT NULL,
                        etag          TEXT    NOT NULL,
                        last_modified INTEGER NOT NULL,
                        checksums     TEXT,
                        PRIMARY KEY (upload_id, part_number)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE multipart_objects (
                        bucket      TEXT NOT NULL,
                        key         TEXT NOT NULL,
                        blob_id     TEXT NOT NULL,
                        content_md5 TEXT NOT NULL,
                        part_sizes  TEXT NOT NULL,
                        PRIMARY KEY (bucket, key)
                    ) WITHOUT ROWID""",
                    // the layout lives exactly as long as the object row pointing at its blob
                    """
                    CREATE TRIGGER multipart_objects_on_delete AFTER DELETE ON objects BEGIN
                        DELETE FROM multipart_objects WHERE bucket = OLD.bucket AND key = OLD.key AND blob_id = OLD.blob_id;
                    END""",
                    """
                    CREATE TRIGGER multipart_objects_on_insert AFTER INSERT ON objects BEGIN
                        DELETE FROM multipart_objects WHERE bucket = NEW.bucket AND key = NEW.key AND blob_id <> NEW.blob_id;
                    END"""),
            // 5: tagging. Object tags live in the object row (JSON, NULL when none: written with the row,
            // gone with it); a bucket's tag set is its own row, gone with the bucket.
            List.of("ALTER TABLE objects ADD COLUMN tags TEXT", """
                    CREATE TABLE bucket_tags (
                        bucket TEXT NOT NULL PRIMARY KEY REFERENCES buckets(name) ON DELETE CASCADE,
                        tags   TEXT NOT NULL
                    ) WITHOUT ROWID"""),
            // 6: the tags asked for on CreateMultipartUpload (x-amz-tagging), given to the object on complete
            List.of("ALTER TABLE uploads ADD COLUMN tags TEXT"),
            // 7: a bucket's CORS rules (a JSON array of CorsRule, in the order given), gone with the bucket
            List.of("""
                    CREATE TABLE bucket_cors (
                        bucket TEXT NOT NULL PRIMARY KEY REFERENCES buckets(name) ON DELETE CASCADE,
                        rules  TEXT NOT NULL
                    ) WITHOUT ROWID"""),
            // 8: bucket versioning. `objects` stays the table of CURRENT versions (one row per visible key), so
            // unversioned PUT/GET/DELETE run the same statements as before; version_id is NULL for S3's "null"
            // version. Noncurrent versions and delete markers live in object_versions, ordered per key by seq
            // (larger = newer; a current row is newer than all of them). Invariant: a key has an objects row
            // exactly when its newest version is not a delete marker. buckets.versioning is NULL (never
            // versioned), 'Enabled' or 'Suspended'.
            List.of(
                    "ALTER TABLE buckets ADD COLUMN versioning TEXT",
                    "ALTER TABLE objects ADD COLUMN version_id TEXT",
                    """
                    CREATE TABLE object_versions (
                        bucket        TEXT    NOT NULL,
                        key           TEXT    NOT NULL,
                        seq           INTEGER NOT NULL,
                        version_id    TEXT,
                        delete_marker INTEGER NOT NULL,
                        blob_id       TEXT,
                        size          INTEGER NOT NULL,
                        etag          TEXT,
                        content_type  TEXT,
                        last_modified INTEGER NOT NULL,
                        user_metadata TEXT,
                        headers       TEXT,
                        checksums     TEXT,
                        tags          TEXT,
                        PRIMARY KEY (bucket, key, seq)
                    ) WITHOUT ROWID"""),
            // 9: ACLs and the bucket settings infrastructure code sets and reads back. An object version's grants
            // live in its row (JSON, NULL for none given: the owner's FULL_CONTROL) and move with it; an upload keeps
            // those asked for on CreateMultipartUpload. A bucket's settings (ACL, policy, public access block,
            // ownership controls, ...) are one row each, named as BucketSetting names them, gone with the bucket.
            List.of(
                    "ALTER TABLE objects ADD COLUMN grants TEXT",
                    "ALTER TABLE object_versions ADD COLUMN grants TEXT",
                    "ALTER TABLE uploads ADD COLUMN grants TEXT",
                    """
                    CREATE TABLE bucket_settings (
                        bucket TEXT NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
                        name   TEXT NOT NULL,
                        value  TEXT NOT NULL,
                        PRIMARY KEY (bucket, name)
                    ) WITHOUT ROWID"""),
            // 10: lifecycle rules and object lock. A bucket's lifecycle rules (a JSON array of LifecycleRule) and its
            // object-lock configuration are one row each, gone with the bucket (a bucket_object_lock row: object lock
            // is
            // enabled; its default retention may be NULL). object_locks holds the retention (mode and retain_until
            // NULL:
            // none) and legal hold (NULL: never set, 0 OFF, 1 ON) of single versions, version_id as S3 writes it
            // ("null"
            // for the null version); a row goes when its version is deleted. The lifecycle sweep reads bucket_lifecycle
            // first, so a store without rules pays
            // one lookup in an empty table per sweep.
            List.of("""
                    CREATE TABLE bucket_lifecycle (
                        bucket TEXT NOT NULL PRIMARY KEY REFERENCES buckets(name) ON DELETE CASCADE,
                        rules  TEXT NOT NULL
                    ) WITHOUT ROWID""", """
                    CREATE TABLE bucket_object_lock (
                        bucket       TEXT NOT NULL PRIMARY KEY REFERENCES buckets(name) ON DELETE CASCADE,
                        default_mode TEXT,
                        default_days INTEGER,
                        default_years INTEGER
                    ) WITHOUT ROWID""", """
                    CREATE TABLE object_locks (
                        bucket       TEXT    NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
                        key          TEXT    NOT NULL,
                        version_id   TEXT    NOT NULL,
                        mode         TEXT,
                        retain_until INTEGER,
                        legal_hold   INTEGER,
                        PRIMARY KEY (bucket, key, version_id)
                    ) WITHOUT ROWID"""),
            // 11: multipart retries and races. upload_parts.started orders the uploads of one part number by when they
            // STARTED (a sequence, larger = later): a part is replaced only by an upload started after it, as on S3,
            // whichever finishes last. multipart_objects.upload_id names the upload a completed object came from, so
            // a retried CompleteMultipartUpload of it answers the same while that object is the key's current one.
            List.of(
                    "ALTER TABLE upload_parts ADD COLUMN started INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE multipart_objects ADD COLUMN upload_id TEXT"));

    /** The version this build writes. */
    static int currentVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Runs the missing migrations, all in one transaction: a database is at one version or the next,
     * never between, and a fresh database (every test server's) pays for one commit, not one per migration.
     *
     * @return the version the database was at before (0: a new, empty one)
     */
    static int migrate(SqlConnection db) throws SQLException {
        int version = userVersion(db);
        if (version > currentVersion()) {
            throw new StorageException(
                    ErrorCode.InternalError,
                    "metadata database schema version " + version + " is newer than this build understands ("
                            + currentVersion() + ")");
        }
        if (version < currentVersion()) {
            db.execute("BEGIN IMMEDIATE");
            try {
                for (int v = version; v < currentVersion(); v++) {
                    for (String statement : MIGRATIONS.get(v)) {
                        db.execute(statement);
                    }
                }
                db.execute("PRAGMA user_version = " + currentVersion());
                db.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    db.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return version;
    }

    static int userVersion(SqlConnection db) throws SQLException {
        try (Statement statement = db.connection().createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
