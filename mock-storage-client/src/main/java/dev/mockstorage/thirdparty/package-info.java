/**
 * Scripting the third-party upstream that missing objects are read through from: plain, immutable
 * values ({@link dev.mockstorage.thirdparty.ThirdPartyScript}, {@link dev.mockstorage.thirdparty.Match},
 * {@link dev.mockstorage.thirdparty.Reply}, {@link dev.mockstorage.thirdparty.Fault}) that have a JSON form
 * ({@link dev.mockstorage.thirdparty.ThirdPartyJson}), so the same script works in-process and over the admin
 * API; the recorded calls ({@link dev.mockstorage.thirdparty.UpstreamCall}) and verification live on the
 * {@link dev.mockstorage.thirdparty.ThirdParty} handle. JDK types only.
 */
package dev.mockstorage.thirdparty;
