import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Output files are served without the API key (players and browsers cannot send it), so their URL
 * carries an unguessable HMAC of the request id. The URL stops working when the request expires,
 * because the request (and its file) are then gone.
 */
/** The token in a request's file URL: a truncated HMAC of its id under the installation's secret. */
export function fileToken(secret: string, requestId: string): string {
  return createHmac('sha256', secret).update(`output:${requestId}`).digest('base64url').slice(0, 32);
}

/** Whether `token` is the file token of `requestId`, compared in constant time. */
export function verifyFileToken(secret: string, requestId: string, token: string): boolean {
  const expected = Buffer.from(fileToken(secret, requestId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The path of a request's video on Reelay's file route (docs/api.md §5.5): `/v2/files/{token}/{id}.mp4`. */
export function outputPath(secret: string, requestId: string): string {
  return `/v2/files/${fileToken(secret, requestId)}/${requestId}.mp4`;
}
