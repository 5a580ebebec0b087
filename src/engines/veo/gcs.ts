import { httpError } from '../remote/upstream.js';

/** Default Cloud Storage JSON API host; configurable so tests can serve `gs://` objects from a fake. */
export const GCS_BASE_URL = 'https://storage.googleapis.com';

/** Splits `gs://bucket/path/to/object.mp4` into bucket and object name. */
export function parseGsUri(uri: string): { bucket: string; object: string } {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not a gs:// URI: ${uri}`);
  return { bucket: m[1]!, object: m[2]! };
}

/**
 * Downloads an object with the JSON API's media download
 * (`GET {base}/storage/v1/b/{bucket}/o/{object}?alt=media`, object name percent-encoded
 * including its slashes), authorised with the same token as the Vertex call.
 */
export async function downloadGcs(uri: string, token: string, baseUrl: string, signal: AbortSignal): Promise<Uint8Array> {
  const { bucket, object } = parseGsUri(uri);
  const url = `${baseUrl.replace(/\/+$/, '')}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}?alt=media`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
  if (!res.ok) throw await httpError(res);
  return new Uint8Array(await res.arrayBuffer());
}
