/**
 * What the request journal and the third party verify with: {@link dev.mockstorage.verification.Times} (how
 * many matches are expected) and {@link dev.mockstorage.verification.NearestMiss} (the closest requests, calls
 * or scripts a failure message names). JDK types only.
 */
package dev.mockstorage.verification;
