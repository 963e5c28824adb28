/**
 * The standalone jar's entry point ({@code java -jar mock-storage.jar}): command-line and environment
 * settings, start-up and clean shutdown on SIGTERM, and the {@code healthcheck} sub-command used by the
 * Docker image. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.cli;
