import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Output files are served without the API key (players and browsers cannot send it), so their URL
 * carries an unguessable HMAC of the request id. The URL stops working when the request expires,
 * because the request (and its file) are then gone.
 */
export function fileToken(secret: string, requestId: string): string {
  return createHmac('sha256', secret).update(`output:${requestId}`).digest('base64url').slice(0, 32);
}

export function verifyFileToken(secret: string, requestId: string, token: string): boolean {
  const expected = Buffer.from(fileToken(secret, requestId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function outputPath(secret: string, requestId: string): string {
  return `/v2/files/${fileToken(secret, requestId)}/${requestId}.mp4`;
}
