/**
 * The management side on the S3 port: {@code /health}, later {@code /api/v1/**} and {@code /metrics};
 * one route table, JSON errors. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.admin;
