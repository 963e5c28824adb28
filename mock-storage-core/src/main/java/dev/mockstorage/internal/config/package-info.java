/**
 * {@code config.json} (Jackson), environment and command-line settings: a default for every field,
 * validated at start with errors that name the field. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.config;
