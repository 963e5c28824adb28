package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the console's tests: Debian's {@code chromium} driven through Debian's
 * {@code chromedriver} (both from {@code scripts/prereqs.sh test}), so Selenium downloads nothing (the
 * driver's path is given, so Selenium Manager is not asked). Missing binaries skip the test saying why,
 * except with {@code CI} set, where they fail it. {@code -Dconsole.screenshots=DIR} saves screenshots.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    /** Where screenshots go, or null (the default: none are taken). */
    static final String SCREENSHOTS = System.getProperty("console.screenshots");

    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;

    private Browser(ChromeDriver driver, Path downloads, Path profile) {
        this.driver = driver;
        this.downloads = downloads;
        this.profile = profile;
    }

    /** Starts Chromium, or skips (fails in CI) when Chromium or chromedriver is not installed. */
    static Browser start() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                String reason = binary + " is not installed (Debian: apt-get install chromium chromium-driver, "
                        + "or scripts/prereqs.sh test)";
                if (System.getenv("CI") != null) {
                    fail(reason + "; CI is set, so the browser tests must not be skipped");
                }
                Assumptions.abort("console browser tests skipped: " + reason);
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            Path profile = Files.createTempDirectory("mock-storage-chromium-");
            Path downloads = Files.createDirectories(profile.resolve("downloads"));
            ChromeOptions options = new ChromeOptions()
                    .setBinary(CHROMIUM.toFile())
                    .addArguments(
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--disable-dev-shm-usage",
                            "--user-data-dir=" + profile.resolve("profile"),
                            "--window-size=" + DESKTOP.width + "," + DESKTOP.height)
                    .setExperimentalOption(
                            "prefs",
                            Map.of(
                                    "download.default_directory",
                                    downloads.toString(),
                                    "download.prompt_for_download",
                                    false,
                                    "safebrowsing.enabled",
                                    false));
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Browser(driver, downloads, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to 10 s for the condition to be true or non-null, failing with {@code what} and the page's text. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.apply(driver);
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e; // not there yet (no such element, stale element)
            }
            sleep(50);
        }
        String page = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
        throw new AssertionError("waited 10 s for " + what
                + (last == null
                        ? ""
                        : " (last: " + last.getMessage().lines().findFirst().orElse("") + ")") + "; the page shows:\n"
                + page);
    }

    /** The browser log's entries since the last call (console messages, failed loads, uncaught errors). */
    List<LogEntry> log() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** The log's errors since the last call. */
    List<String> errors() {
        return log().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves a screenshot as DIR/name.png when {@code -Dconsole.screenshots=DIR} is set. */
    void screenshot(String name) {
        if (SCREENSHOTS == null) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of(SCREENSHOTS));
            js("document.activeElement && document.activeElement.blur && document.activeElement.blur()");
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebElement byId(String id) {
        return driver.findElement(org.openqa.selenium.By.id(id));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
