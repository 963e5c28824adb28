/**
 * The flows of DESIGN.md (upload, download, delete, list) over metadata, storage nodes and the task
 * queue; the transaction boundary lives here. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.service;
