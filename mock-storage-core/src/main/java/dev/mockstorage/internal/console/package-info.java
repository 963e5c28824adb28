/**
 * The web console: static HTML, CSS and JavaScript modules served from the jar at {@code /_console/}.
 * The pages talk to the admin API (and to S3 for multipart uploads and downloads); nothing here knows
 * the services. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.console;
