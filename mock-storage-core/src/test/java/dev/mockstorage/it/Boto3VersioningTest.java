package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A versioned bucket driven by boto3 (Debian's {@code python3-boto3}), as a Python team's code would. */
class Boto3VersioningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    @Test
    void versionedBucketPutListGetDeleteAndRestore() throws Exception {
        JsonNode out = JSON.readTree(Boto3.run(server, work, """
                from botocore.exceptions import ClientError
                s3.create_bucket(Bucket="pyversions")
                before = s3.get_bucket_versioning(Bucket="pyversions").get("Status")
                s3.put_bucket_versioning(Bucket="pyversions", VersioningConfiguration={"Status": "Enabled"})
                status = s3.get_bucket_versioning(Bucket="pyversions")["Status"]
                v1 = s3.put_object(Bucket="pyversions", Key="doc.txt", Body=b"first")["VersionId"]
                v2 = s3.put_object(Bucket="pyversions", Key="doc.txt", Body=b"second")["VersionId"]
                listed = s3.list_object_versions(Bucket="pyversions")["Versions"]
                old = s3.get_object(Bucket="pyversions", Key="doc.txt", VersionId=v1)["Body"].read().decode()
                deleted = s3.delete_object(Bucket="pyversions", Key="doc.txt")
                try:
                    s3.get_object(Bucket="pyversions", Key="doc.txt")
                    after_delete = "found"
                except ClientError as e:
                    after_delete = e.response["Error"]["Code"]
                markers = s3.list_object_versions(Bucket="pyversions").get("DeleteMarkers", [])
                s3.delete_object(Bucket="pyversions", Key="doc.txt", VersionId=deleted["VersionId"])
                restored = s3.get_object(Bucket="pyversions", Key="doc.txt")
                pages = s3.get_paginator("list_object_versions").paginate(Bucket="pyversions", PaginationConfig={"PageSize": 1})
                paged = [v["VersionId"] for page in pages for v in page.get("Versions", [])]
                print(json.dumps({"before": before, "status": status, "v1": v1, "v2": v2,
                                  "listed": [[v["VersionId"], v["IsLatest"]] for v in listed], "old": old,
                                  "marker": deleted.get("DeleteMarker"), "markerId": deleted["VersionId"],
                                  "afterDelete": after_delete, "markers": [[m["VersionId"], m["IsLatest"]] for m in markers],
                                  "restored": restored["Body"].read().decode(), "restoredVersion": restored["VersionId"],
                                  "paged": paged}))
                """));

        assertTrue(out.get("before").isNull(), "a new bucket has no versioning status: " + out);
        assertEquals("Enabled", out.get("status").asText());
        String v1 = out.get("v1").asText();
        String v2 = out.get("v2").asText();
        assertNotEquals(v1, v2);
        assertEquals(JSON.readTree("[[\"" + v2 + "\", true], [\"" + v1 + "\", false]]"), out.get("listed"));
        assertEquals("first", out.get("old").asText());
        assertTrue(out.get("marker").asBoolean());
        assertEquals("NoSuchKey", out.get("afterDelete").asText());
        assertEquals(JSON.readTree("[[\"" + out.get("markerId").asText() + "\", true]]"), out.get("markers"));
        assertEquals("second", out.get("restored").asText(), "deleting the marker restored the object");
        assertEquals(v2, out.get("restoredVersion").asText());
        assertEquals(
                JSON.readTree("[\"" + v2 + "\", \"" + v1 + "\"]"),
                out.get("paged"),
                "boto3's paginator follows the markers");
        assertEquals(
                "first",
                server.s3()
                        .getObjectAsBytes(
                                b -> b.bucket("pyversions").key("doc.txt").versionId(v1))
                        .asUtf8String(),
                "the Java SDK reads the same version");
    }
}
