/**
 * The admin API as a contract both sides read: {@link dev.mockstorage.internal.contract.AdminRoute}, the
 * route table (method, path template, operation, query parameters) the server dispatches with and the
 * remote handle builds its requests from, and {@link dev.mockstorage.internal.contract.AdminJson}, the JSON
 * of what crosses the wire (stats, consistency reports, recorded requests, nodes, errors; third-party values
 * are in the public {@code ThirdPartyJson}). Public types, the JDK and Jackson only. Internal: no
 * compatibility promise.
 */
package dev.mockstorage.internal.contract;
