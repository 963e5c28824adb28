/**
 * The request journal: what the server received, as plain data ({@link dev.mockstorage.journal.RecordedRequest}),
 * and verification against it ({@link dev.mockstorage.journal.RequestJournal#verify}). JDK types only, so the
 * same interface can be implemented in-process and over the admin API ({@code GET /api/v1/requests}).
 */
package dev.mockstorage.journal;
