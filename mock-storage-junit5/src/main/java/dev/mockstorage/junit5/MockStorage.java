package dev.mockstorage.junit5;

import dev.mockstorage.junit5.internal.MockStorageExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a mock-storage server in this JVM for each test: a fresh server, data directory and port per
 * test by default, ready before {@code @BeforeEach} methods run and closed after the test (its
 * temporary directory deleted by a background thread right after, or at the latest when the JVM ends).
 *
 * <pre>{@code
 * @MockStorage(buckets = "photos", thirdPartyScripts = "scripts/upstream.json")
 * class PhotoServiceTest {
 *     @Test
 *     void readsThrough(MockStorageRuntime storage, S3Client s3) { ... }
 * }
 * }</pre>
 *
 * <p>Test methods, {@code @BeforeEach}/{@code @AfterEach} methods (and, with {@link Lifecycle#PER_CLASS},
 * constructors and {@code @BeforeAll}/{@code @AfterAll} methods) may declare parameters of type
 * {@code dev.mockstorage.MockStorageRuntime} or {@code dev.mockstorage.server.MockStorageServer}: the handle on
 * the server (endpoint, credentials, third-party scripting, request journal, fault injection, reset,
 * stats). When the AWS SDK v2 ({@code software.amazon.awssdk:s3}) is on the test classpath,
 * {@code S3Client} and {@code S3AsyncClient} parameters are resolved too: path-style clients bound to
 * the server, closed by the extension; without the SDK nothing of it is loaded.
 *
 * <p>On a method the annotation replaces the class's entirely (attributes are not merged). For
 * {@code @Nested} classes the nearest annotated enclosing class decides. Misuse (e.g. {@code nodes = 0},
 * a missing resource) fails the test at start with an {@code ExtensionConfigurationException} naming
 * the attribute.
 *
 * <p>The temporary directory ({@code mock-storage-*} under {@code java.io.tmpdir}) is kept, and its
 * path published as report entry {@code mockstorage.dataDirectory}, when the system property or JUnit
 * configuration parameter {@value #KEEP_DATA_PROPERTY} is {@code true}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(MockStorageExtension.class)
public @interface MockStorage {

    /**
     * System property or JUnit configuration parameter: {@code true} keeps each server's temporary
     * directory after its test instead of deleting it ({@code -Dmockstorage.keepData=true}).
     */
    String KEEP_DATA_PROPERTY = "mockstorage.keepData";

    /**
     * Number of storage nodes ({@code stg1..stgN}); at least 1. Wins over {@code storage.nodes} of
     * {@link #config()}. Default 3, as in {@code config.json}.
     */
    int nodes() default 3;

    /** Buckets to create before the test (in addition to any {@code storage.buckets} of {@link #config()}). */
    String[] buckets() default {};

    /**
     * A folder on the test classpath whose files are stored before the test: {@code seed/bucket/key...}
     * (each first-level folder is a bucket, created if needed; the rest of the path is the key, with
     * {@code /}). Content types are guessed from file names. Folders in directories and in jars both work.
     * Empty (the default): nothing is seeded.
     */
    String seed() default "";

    /**
     * Classpath resources with third-party scripts in the JSON format of {@code ThirdPartyJson}, loaded
     * in order before the test. Relative {@code body_file}s resolve against the resource's folder when
     * it is a plain file on the classpath.
     */
    String[] thirdPartyScripts() default {};

    /** When one server is started and how long it lives; see {@link Lifecycle}. */
    Lifecycle lifecycle() default Lifecycle.PER_METHOD;

    /**
     * Fail the test, after it ran, when the scripted third party received calls no script matched; the
     * message lists each call and the closest script. {@code false}: such calls are just answered 404
     * ({@code NoSuchKey}), as the server always does.
     */
    boolean failOnUnscriptedCalls() default true;

    /**
     * A {@code config.json} classpath resource for every other setting (see the README's settings table).
     * The data directory (a fresh temporary directory) and the port (0: ephemeral) are always the
     * extension's, whatever the file says. Empty (the default): every setting at its default.
     */
    String config() default "";

    /** When servers start and stop. */
    enum Lifecycle {
        /**
         * The default: a fresh server, temporary directory and port for every test (each invocation of
         * a {@code @RepeatedTest} or {@code @ParameterizedTest} too). Tests cannot see each other's data
         * and may run in parallel.
         */
        PER_METHOD,
        /**
         * One server for every test of the annotated class (and its {@code @Nested} classes that are not
         * annotated themselves): started before {@code @BeforeAll}, {@code reset()} after each test and
         * provisioned again from {@link #buckets()}, {@link #seed()} and {@link #thirdPartyScripts()}.
         * The trade: start-up is paid once, but what a {@code @BeforeAll} method stores is gone after the
         * first test, and tests of the class must not run concurrently with each other (the reset
         * between tests would cut across them). Only valid on a class.
         */
        PER_CLASS
    }
}
