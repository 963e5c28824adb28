// Uploads from the browser. A file up to MULTIPART_THRESHOLD goes in one streamed admin call
// (POST /api/v1/objects). A larger one goes through S3's multipart upload, PART_SIZE at a time from
// File.slice(): neither the browser nor the server ever holds the whole file, a failed part is retried
// alone, and a 1 GiB file is 128 requests of 8 MiB. S3 rather than a second multipart protocol on the
// admin API: the server already has one, checked by the SDK and CLI tests.
import {admin, s3} from './api.js';
import {enc, keyPath} from './ui.js';

const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const PARALLEL_PARTS = 2;
const PART_ATTEMPTS = 3;

/**
 * Uploads file as bucket/key; progress(doneBytes, totalBytes) is called as it goes.
 * Rejects with an ApiError (the server's code and message).
 */
export async function upload(bucket, key, file, progress = () => {}) {
  const type = file.type || 'application/octet-stream';
  if (file.size <= MULTIPART_THRESHOLD) {
    progress(0, file.size);
    const result = await admin('POST', `/api/v1/objects?bucket=${enc(bucket)}&key=${enc(key)}`, file, type);
    progress(file.size, file.size);
    return result;
  }
  const path = `/${enc(bucket)}/${keyPath(key)}`;
  const created = await s3('POST', path + '?uploads', undefined, {'Content-Type': type});
  const uploadId = xml(created.text).querySelector('UploadId').textContent;
  const parts = Math.ceil(file.size / PART_SIZE);
  const etags = new Array(parts);
  const sent = new Array(parts).fill(0);
  let next = 0;
  const worker = async () => {
    while (next < parts) {
      const index = next++;
      const blob = file.slice(index * PART_SIZE, Math.min(file.size, (index + 1) * PART_SIZE));
      const query = `?partNumber=${index + 1}&uploadId=${enc(uploadId)}`;
      for (let attempt = 1; ; attempt++) {
        try {
          const {response} = await s3('PUT', path + query, blob);
          etags[index] = response.headers.get('ETag');
          break;
        } catch (e) {
          if (attempt >= PART_ATTEMPTS || (e.status >= 400 && e.status < 500)) throw e;
        }
      }
      sent[index] = blob.size;
      progress(sent.reduce((a, b) => a + b, 0), file.size);
    }
  };
  try {
    await Promise.all(Array.from({length: Math.min(PARALLEL_PARTS, parts)}, worker));
    const body = '<CompleteMultipartUpload>' + etags.map((etag, i) =>
      `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') + '</CompleteMultipartUpload>';
    await s3('POST', `${path}?uploadId=${enc(uploadId)}`, body, {'Content-Type': 'application/xml'});
  } catch (e) {
    s3('DELETE', `${path}?uploadId=${enc(uploadId)}`).catch(() => {}); // abort; the queue deletes the parts
    throw e;
  }
  return null;
}

function xml(text) {
  return new DOMParser().parseFromString(text, 'application/xml');
}
