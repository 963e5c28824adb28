// Credentials and request signing: the one place that decides what a request of the console carries.
//
// With auth.mode=strict the console asks for the access key and secret key (auth.access_key,
// auth.secret_key) and keeps them in this tab's sessionStorage (gone when the tab closes). Every request
// it then sends, S3 or admin, is signed with AWS Signature Version 4 (payload UNSIGNED-PAYLOAD), and
// downloads use presigned URLs. S3 checks these signatures today; the admin API does not look at them yet.
//
// SEAM for issue 15 (admin API behind the same credentials, SigV4 or a bearer token): adminHeaders() is
// what every admin call adds. If the admin API settles on a bearer token instead of SigV4, change
// adminHeaders() alone; api.js already sends the user back to the sign-in form on a 401 or 403 answer.

const STORE = 'mock-storage.credentials';
const REGION = 'us-east-1';
const SERVICE = 's3';
const UNSIGNED = 'UNSIGNED-PAYLOAD';

/** The stored credentials {accessKey, secretKey}, or null. */
export function credentials() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE));
  } catch {
    return null;
  }
}

export function signIn(accessKey, secretKey) {
  sessionStorage.setItem(STORE, JSON.stringify({accessKey, secretKey}));
}

export function signOut() {
  sessionStorage.removeItem(STORE);
}

/** True where the browser can sign (WebCrypto needs a secure context: https, localhost or 127.0.0.1). */
export function canSign() {
  return !!(window.isSecureContext && crypto.subtle);
}

/** Headers for an admin API call (see the SEAM above): SigV4 when signed in, none otherwise. */
export async function adminHeaders(method, url) {
  return s3Headers(method, url);
}

/** Headers for an S3 request to url (a URL object of this origin): SigV4 when signed in, none otherwise. */
export async function s3Headers(method, url) {
  const c = credentials();
  if (!c || !canSign()) return {};
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${REGION}/${SERVICE}/aws4_request`;
  const headers = {host: url.host, 'x-amz-content-sha256': UNSIGNED, 'x-amz-date': amzDate};
  const names = Object.keys(headers).sort();
  const canonical = [method, canonicalPath(url), canonicalQuery(url.searchParams),
    names.map(n => `${n}:${headers[n]}\n`).join(''), names.join(';'), UNSIGNED].join('\n');
  const signature = await sign(c.secretKey, amzDate, scope, canonical);
  return {
    'x-amz-content-sha256': UNSIGNED, 'x-amz-date': amzDate,
    Authorization: `AWS4-HMAC-SHA256 Credential=${c.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** A presigned GET URL for url (15 minutes) when signed in; url itself otherwise. */
export async function presign(url, seconds = 900) {
  const c = credentials();
  if (!c || !canSign()) return url.toString();
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${REGION}/${SERVICE}/aws4_request`;
  const signed = new URL(url);
  signed.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  signed.searchParams.set('X-Amz-Credential', `${c.accessKey}/${scope}`);
  signed.searchParams.set('X-Amz-Date', amzDate);
  signed.searchParams.set('X-Amz-Expires', String(seconds));
  signed.searchParams.set('X-Amz-SignedHeaders', 'host');
  const canonical = ['GET', canonicalPath(signed), canonicalQuery(signed.searchParams), `host:${signed.host}\n`, 'host',
    UNSIGNED].join('\n');
  const signature = await sign(c.secretKey, amzDate, scope, canonical);
  return signed.pathname + '?' + canonicalQuery(signed.searchParams) + '&X-Amz-Signature=' + signature;
}

// ---------------------------------------------------------------- SigV4

function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, ch => '%' + ch.charCodeAt(0).toString(16).toUpperCase());
}

/** The path as sent, with each segment normalised to RFC 3986 encoding (S3 does not double-encode). */
function canonicalPath(url) {
  return url.pathname.split('/').map(seg => rfc3986(decodeURIComponent(seg))).join('/');
}

function canonicalQuery(params) {
  return [...params.entries()].map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

async function sign(secretKey, amzDate, scope, canonicalRequest) {
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(await sha256(canonicalRequest))].join('\n');
  const [date, region, service] = scope.split('/');
  let key = await hmac(new TextEncoder().encode('AWS4' + secretKey), date);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, 'aws4_request');
  return hex(await hmac(key, toSign));
}

async function hmac(keyBytes, text) {
  const key = await crypto.subtle.importKey('raw', keyBytes, {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function hex(bytes) {
  return [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}
