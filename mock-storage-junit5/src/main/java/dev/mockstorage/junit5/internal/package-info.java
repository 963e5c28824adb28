/**
 * The extension behind {@code @MockStorage}: no compatibility promise, use the annotation. State
 * lives in JUnit's {@code ExtensionContext.Store} as closeable values, never in fields; the AWS SDK
 * is touched only through {@code AwsClients}, loaded only when the SDK is on the classpath.
 */
package dev.mockstorage.junit5.internal;
