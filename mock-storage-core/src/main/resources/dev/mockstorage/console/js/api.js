// The console's only ways out: the admin API (JSON under /api/v1, /health, /metrics) and, for what the
// admin API does not do (multipart uploads, downloads), S3 on the same origin.
import {adminHeaders, s3Headers} from './auth.js';

/** An error answer: code (e.g. BucketNotEmpty), HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** "Code: message" as shown to the user. */
  toString() {
    return (this.code ? this.code + ': ' : '') + this.message;
  }
}

/** Called when the server answers 401/403 to an admin call (the sign-in form); set by app.js. */
let onUnauthorized = () => {};
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * One admin call. Resolves to the parsed JSON (null for 204, the text for non-JSON answers); rejects with
 * an ApiError carrying the JSON error's code and message.
 */
export async function admin(method, path, body, contentType) {
  const url = new URL(path, location.origin);
  const headers = {...await adminHeaders(method, url)};
  if (body !== undefined && contentType) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(url, {method, headers, body, cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'Unreachable', 'the server does not answer (' + e.message + ')');
  }
  const type = response.headers.get('content-type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  if (!response.ok && !(path === '/health' && data && data.status)) {
    if (response.status === 401 || response.status === 403) onUnauthorized();
    const code = data && typeof data === 'object' ? data.error : null;
    const message = data && typeof data === 'object' ? data.message : String(data || response.statusText);
    throw new ApiError(response.status, code, message);
  }
  return data;
}

export const get = path => admin('GET', path);

/** One S3 request on this origin (signed when signed in); rejects with the S3 error's code and message. */
export async function s3(method, path, body, extraHeaders = {}) {
  const url = new URL(path, location.origin);
  const headers = {...extraHeaders, ...await s3Headers(method, url)};
  let response;
  try {
    response = await fetch(url, {method, headers, body, cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'Unreachable', 'the server does not answer (' + e.message + ')');
  }
  const text = await response.text();
  const error = text.includes('<Error>') ? new DOMParser().parseFromString(text, 'application/xml') : null;
  if (!response.ok || error) {
    const code = error?.querySelector('Code')?.textContent || String(response.status);
    const message = error?.querySelector('Message')?.textContent || response.statusText;
    throw new ApiError(response.status, code, message);
  }
  return {response, text};
}
