/**
 * Helpers shared by core's test packages (the {@code it} suites and the unit tests of the
 * {@code internal} packages): nothing here is part of the product, and nothing here knows the server.
 */
package dev.mockstorage.testing;
