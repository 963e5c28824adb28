package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The web console in a real headless Chromium (see {@link Browser}) against a real server on an
 * ephemeral port: every page loads without a browser error, at 1280x800 and at phone width, and each
 * page does what it offers. {@code make console-screenshots} runs this class with
 * {@code -Dconsole.screenshots=docs/console} to refresh the README's pictures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;
    private Browser browser;
    private Path files;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        browser = Browser.start(); // first: skips before a server is started when Chromium is missing
        // a write quorum of 2: with one node down the store still takes writes, and /health says DEGRADED
        server = TestServer.start(
                dir.resolve("data"), b -> b.setting("console.enabled", "true").setting("storage.write_quorum", "2"));
        files = Files.createDirectories(dir.resolve("files"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        TestServer.closeQuietly(server);
    }

    @AfterEach
    void noErrorNobodyExpected() {
        List<String> errors =
                browser.errors().stream().filter(e -> !expectedError(e)).toList();
        assertEquals(List.of(), errors, "browser errors");
    }

    /** Error answers a test provoked on purpose are logged by the browser as failed loads; nothing else may be. */
    private static boolean expectedError(String entry) {
        return entry.contains("the server responded with a status of 409") // BucketNotEmpty, a test's own doing
                || entry.contains("the server responded with a status of 400") // a bad script, a test's own doing
                || entry.contains("the server responded with a status of 403"); // a wrong secret key, ditto
    }

    private int loads;

    /** Loads the console afresh (a new query each time: a hash-only change would not reload the page). */
    private void open(String route) {
        browser.driver.get(server.url() + "/_console/?load=" + ++loads + "#/" + route);
    }

    private WebElement await(String what, By by) {
        return browser.await(what, d -> d.findElement(by));
    }

    private void awaitText(String what, By by, String text) {
        browser.await(what, d -> d.findElement(by).getText().contains(text));
    }

    private void put(String bucket, String key, String contentType, String body) {
        server.s3().putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromString(body));
    }

    // ---------------------------------------------------------------- every page

    @Test
    @Order(1)
    void everyPageLoadsWithoutBrowserErrorsAtDesktopAndPhoneWidth() throws Exception {
        server.createBucket("photos");
        server.createBucket("reports");
        put("photos", "2024/cat.jpg", "image/jpeg", "meow".repeat(500));
        put("photos", "2024/dog.jpg", "image/jpeg", "woof".repeat(900));
        put("photos", "readme.txt", "text/plain", "photos of pets");
        put("reports", "q1.csv", "text/csv", "a,b\n1,2\n");
        server.server()
                .thirdParty()
                .script(ThirdPartyScript.when(Match.get("reports", "upstream.csv"))
                        .respond(Reply.ok("from,upstream\n").contentType("text/csv"))
                        .withId("reports-upstream"));
        get("/reports/upstream.csv");
        server.raw().get("/photos/2024/none.jpg"); // a 404 in the journal
        server.server().awaitIdle(java.time.Duration.ofSeconds(10));

        for (var size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.size(size);
            String suffix = size == Browser.PHONE ? "-phone" : "";
            open("overview");
            awaitText("the overview's health", By.id("health-status"), "UP");
            awaitText("the object count", By.id("total-objects"), "5");
            try (Traffic traffic = new Traffic()) {
                browser.await(
                        "the chart showing S3 requests",
                        d -> Double.parseDouble(d.findElement(By.id("rps-now"))
                                        .getText()
                                        .replace("–", "0"))
                                > 0);
                browser.await(
                        "a line of two samples",
                        d -> d.findElement(By.cssSelector(".chart polyline"))
                                        .getAttribute("points")
                                        .split(" ")
                                        .length
                                >= 2);
                browser.screenshot("overview" + suffix);
            }
            open("buckets");
            awaitText("the bucket list", By.tagName("main"), "reports");
            browser.screenshot("buckets" + suffix);
            open("objects?bucket=photos&prefix=2024%2F");
            awaitText("the folder listing", By.tagName("main"), "cat.jpg");
            browser.screenshot("objects" + suffix);
            open("object?bucket=photos&key=2024%2Fcat.jpg");
            browser.await(
                    "three intact replicas",
                    d -> d.findElements(By.cssSelector("#replicas tr[data-state=INTACT]"))
                                    .size()
                            == 3);
            browser.screenshot("object" + suffix);
            open("requests");
            awaitText("the journal", By.id("requests-list"), "GetObject");
            browser.screenshot("requests" + suffix);
            open("third-party");
            awaitText("the recorded call", By.id("calls"), "reports-upstream");
            browser.screenshot("third-party" + suffix);
            open("nodes");
            awaitText("the nodes", By.id("nodes"), "stg3");
            awaitText("the queue", By.id("queue"), "Done");
            browser.byId("check").click();
            awaitText("the consistency report", By.id("consistency-result"), "clean");
            browser.screenshot("nodes" + suffix);
            assertEquals(List.of(), browser.errors(), "browser errors on the pages at " + size);
            Object overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth");
            assertTrue(
                    ((Number) overflow).intValue() <= 0,
                    "the page is wider than the window at " + size + " by " + overflow);
        }
        browser.size(Browser.DESKTOP);
    }

    // ---------------------------------------------------------------- buckets and objects

    @Test
    @Order(2)
    void createABucketUploadAFileSeeItListedDownloadItAndSeeThreeIntactReplicas() throws Exception {
        open("buckets");
        WebElement name = await("the bucket name field", By.id("bucket-name"));
        name.sendKeys("uploads", Keys.ENTER);
        awaitText("the confirmation", By.id("bucket-message"), "Created bucket uploads");
        await("the new bucket's link", By.linkText("uploads")).click();
        WebElement input = await("the file picker", By.id("upload-input"));

        byte[] small = "hello from the browser\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Path smallFile = Files.write(files.resolve("hello.txt"), small);
        byte[] large = new byte[10 * 1024 * 1024 + 12345]; // over the multipart threshold: two S3 parts
        new Random(16).nextBytes(large);
        Path largeFile = Files.write(files.resolve("large.bin"), large);
        input.sendKeys(smallFile + "\n" + largeFile);
        browser.await(
                "both uploads listed",
                d -> d.findElement(By.tagName("main")).getText().contains("large.bin")
                        && d.findElement(By.tagName("main")).getText().contains("hello.txt")
                        && d.findElements(By.xpath("//li[contains(., 'done')]")).size() == 2);
        assertArrayEquals(small, get("/uploads/hello.txt"));
        assertArrayEquals(large, get("/uploads/large.bin"));
        assertEquals(
                1,
                server.server()
                        .requests()
                        .find(dev.mockstorage.journal.RequestPattern.operation("CompleteMultipartUpload"))
                        .size(),
                "the large file went up in parts");

        browser.js("""
                const file = new File(['dropped, not picked'], 'dropped.txt', {type: 'text/plain'});
                const data = new DataTransfer();
                data.items.add(file);
                document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));
                """);
        browser.await(
                "the dropped file listed",
                d -> d.findElement(By.tagName("main")).getText().contains("dropped.txt"));
        assertEquals("dropped, not picked", new String(get("/uploads/dropped.txt"), StandardCharsets.UTF_8));

        browser.driver
                .findElement(By.cssSelector("a[aria-label='Download large.bin']"))
                .click();
        Path downloaded = browser.downloads.resolve("large.bin");
        browser.await(
                "the download",
                d -> Files.exists(downloaded) && downloaded.toFile().length() == large.length);
        assertArrayEquals(large, Files.readAllBytes(downloaded));

        browser.driver.findElement(By.linkText("hello.txt")).click();
        awaitText("the object's size", By.id("object-size"), "2,300 bytes");
        browser.await(
                "three intact replicas",
                d -> d.findElements(By.cssSelector("#replicas tr[data-state=INTACT]"))
                                .size()
                        == 3);
    }

    @Test
    @Order(3)
    void deletingABucketThatIsNotEmptyShowsTheS3Error() {
        server.createBucket("full");
        put("full", "k", "text/plain", "x");
        open("buckets");
        await("the delete button", By.cssSelector("button[aria-label='Delete bucket full']"))
                .click();
        browser.driver.switchTo().alert().accept();
        awaitText("the S3 error", By.id("bucket-message"), "BucketNotEmpty");
    }

    // ---------------------------------------------------------------- nodes

    @Test
    @Order(4)
    void theConsistencyCheckFindsADamagedCopyAndRepairsIt() {
        server.createBucket("checked");
        put("checked", "k", "text/plain", "check me");
        server.server().nodes().corrupt("checked", "k", "stg3");
        open("nodes");
        await("the Check button", By.id("check")).click();
        awaitText("the finding", By.id("consistency-report"), "CHECKSUM_MISMATCH");
        browser.byId("check-repair").click();
        awaitText("the repair", By.id("consistency-report"), "1 repaired");
        browser.byId("check").click();
        awaitText("a clean check", By.id("consistency-result"), "clean");
    }

    @Test
    @Order(4)
    void takingANodeDownOnTheNodesPageMakesTheOverviewSayDegraded() {
        try {
            open("nodes");
            await("stg2's Down button", By.id("down-stg2")).click();
            awaitText("the confirmation", By.id("nodes-message"), "stg2 taken down");
            browser.driver.findElement(By.linkText("Overview")).click();
            awaitText("the overview's health", By.id("health-status"), "DEGRADED");
            awaitText("the reason", By.id("health-reason"), "stg2");
        } finally {
            server.server().nodes().up("stg2");
        }
    }

    // ---------------------------------------------------------------- requests

    @Test
    @Order(5)
    void requestsAppearInTheJournalWithoutReloading() {
        open("requests");
        await("the journal", By.id("requests-list"));
        browser.js("window.notReloaded = true");
        put("photos", "live/new.txt", "text/plain", "live");
        browser.await(
                "the new PutObject",
                d -> !d.findElements(By.xpath("//tr[@data-operation='PutObject'][contains(., 'photos/live/new.txt')]"))
                        .isEmpty());
        assertEquals(Boolean.TRUE, browser.js("return window.notReloaded"), "the page was reloaded");
        browser.driver
                .findElement(By.xpath("//tr[contains(., 'photos/live/new.txt')]//a"))
                .click();
        awaitText("the request's headers", By.id("request-detail"), "content-type");
        server.raw().get("/photos/live/missing.txt");
        browser.await(
                "the failed GET",
                d -> !d.findElements(By.xpath("//tr[@data-operation='GetObject'][contains(., 'NoSuchKey')]"))
                        .isEmpty());
    }

    // ---------------------------------------------------------------- third party

    @Test
    @Order(6)
    void aScriptAddedOnTheThirdPartyPageAnswersAGet() throws Exception {
        server.createBucket("upstream");
        open("third-party");
        WebElement editor = await("the script editor", By.id("script-json"));
        editor.clear();
        editor.sendKeys(
                "{\"match\": {\"bucket\": \"upstream\", \"key\": \"a.txt\"}, \"response\": {\"status\": \"x\"}}");
        browser.driver.findElement(By.xpath("//button[.='Add script']")).click();
        awaitText("the server's validation error", By.id("script-message"), "status");
        editor.clear();
        editor.sendKeys("{\"id\": \"browser-script\", \"match\": {\"bucket\": \"upstream\", \"key\": \"a.txt\"},"
                + " \"response\": {\"body\": \"scripted in the browser\"}}");
        browser.driver.findElement(By.xpath("//button[.='Add script']")).click();
        awaitText("the confirmation", By.id("script-message"), "Added browser-script");
        assertEquals("scripted in the browser", new String(get("/upstream/a.txt"), StandardCharsets.UTF_8));
        browser.await(
                "the call answered by the script",
                d -> !d.findElements(By.xpath("//tr[@data-url='/upstream/a.txt'][contains(., 'browser-script')]"))
                        .isEmpty());
        browser.driver
                .findElement(By.cssSelector("button[aria-label='Remove script browser-script']"))
                .click();
        browser.await(
                "the script removed",
                d -> d.findElements(By.cssSelector("tr[data-script='browser-script']"))
                        .isEmpty());
        assertTrue(server.server().thirdParty().scripts().stream().noneMatch(s -> s.id().equals("browser-script")));
    }

    // ---------------------------------------------------------------- strict auth

    @Test
    @Order(7)
    void inStrictAuthModeTheConsoleAsksForTheKeysAndSignsUploadsAndDownloads(@TempDir Path dir) throws Exception {
        try (TestServer strict =
                TestServer.start(dir, b -> b.setting("console.enabled", "true").strictAuth())) {
            strict.createBucket("secure");
            browser.driver.get(strict.url() + "/_console/#/objects?bucket=secure");
            await("the sign-in form", By.id("access-key"))
                    .sendKeys(strict.server().accessKey());
            browser.byId("secret-key").sendKeys("not-the-secret", Keys.ENTER);
            awaitText("the S3 error", By.tagName("main"), "SignatureDoesNotMatch");
            browser.byId("secret-key").clear();
            browser.byId("secret-key").sendKeys(strict.server().secretKey(), Keys.ENTER);
            awaitText(
                    "the signed-in user",
                    By.id("session"),
                    "Signed in as " + strict.server().accessKey());

            byte[] large = new byte[9 * 1024 * 1024];
            new Random(15).nextBytes(large);
            await("the file picker", By.id("upload-input"))
                    .sendKeys(Files.write(files.resolve("signed.bin"), large).toString());
            browser.await(
                    "the signed multipart upload listed",
                    d -> !d.findElements(By.xpath("//li[contains(., 'done')]")).isEmpty()
                            && d.findElement(By.tagName("main")).getText().contains("signed.bin"));
            assertArrayEquals(
                    large,
                    strict.s3()
                            .getObjectAsBytes(b -> b.bucket("secure").key("signed.bin"))
                            .asByteArray());

            WebElement download = browser.driver.findElement(By.cssSelector("a[aria-label='Download signed.bin']"));
            browser.await("a presigned link", d -> download.getAttribute("href").contains("X-Amz-Signature="));
            download.click();
            Path downloaded = browser.downloads.resolve("signed.bin");
            browser.await(
                    "the presigned download",
                    d -> Files.exists(downloaded) && downloaded.toFile().length() == large.length);
            assertArrayEquals(large, Files.readAllBytes(downloaded));
            browser.driver.findElement(By.xpath("//button[.='Sign out']")).click();
            await("the sign-in form again", By.id("access-key"));
        }
    }

    // ---------------------------------------------------------------- keyboard

    @Test
    @Order(8)
    void theKeyboardAloneReachesEveryPageAndCreatesABucket() {
        open("overview");
        await("the overview", By.id("health-status"));
        for (String page : List.of("Buckets", "Objects", "Requests", "Third party", "Nodes and queue")) {
            tabTo(e -> e.getTagName().equals("a") && e.getText().equals(page));
            new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
            browser.await(
                    page + " shown",
                    d -> d.findElement(By.cssSelector("a[aria-current=page]"))
                            .getText()
                            .equals(page));
        }
        open("buckets");
        await("the bucket form", By.id("bucket-name"));
        tabTo(e -> "bucket-name".equals(e.getAttribute("id")));
        new Actions(browser.driver).sendKeys("by-keyboard", Keys.ENTER).perform();
        awaitText("the confirmation", By.id("bucket-message"), "Created bucket by-keyboard");
    }

    /** Presses Tab (at most 60 times) until the focused element satisfies the predicate. */
    private void tabTo(java.util.function.Predicate<WebElement> target) {
        for (int i = 0; i < 60; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            if (target.test(browser.driver.switchTo().activeElement())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached the element; focused: "
                + browser.driver.switchTo().activeElement().getText());
    }

    // ---------------------------------------------------------------- helpers

    /** S3 GETs in the background (about 40 a second) while it is open, for the overview's live chart. */
    private final class Traffic implements AutoCloseable {
        private final Thread thread = new Thread(
                () -> {
                    List<String> keys = List.of("readme.txt", "2024/cat.jpg", "2024/dog.jpg");
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        server.raw().send(i % 5 == 4 ? "HEAD" : "GET", "/photos/" + keys.get(i % keys.size()));
                        try {
                            Thread.sleep(25);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "console-test-traffic");

        Traffic() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    private byte[] get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }
}
