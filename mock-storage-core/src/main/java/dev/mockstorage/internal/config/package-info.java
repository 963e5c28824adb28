/**
 * Configuration: every setting declared once in {@link dev.mockstorage.internal.config.Setting} (name,
 * type, typed default, checks, documentation). {@link dev.mockstorage.internal.config.ConfigLoader}
 * merges the layers (defaults &lt; {@code config.json} &lt; environment &lt; command line), checks the
 * winning values and resolves them into the {@link dev.mockstorage.internal.config.Config} the server
 * reads; an error names the file or origin and the field. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.config;
