import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/), byte-for-byte what the
 * `standardwebhooks` package verifies: HMAC-SHA256 keyed with the secret's decoded bytes over
 * `${id}.${timestamp}.${body}` (UTF-8), sent as `v1,<base64>`. Done with node:crypto so the
 * server has no runtime dependency on the package; the tests check against it.
 */

const PREFIX = 'whsec_';
// Strict standard base64 with padding, as the package's decoder (@stablelib/base64) demands;
// Node's own decoder silently skips bad characters, which would sign with the wrong key.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Printable ASCII without spaces: the id goes into a header and into the signed string.
const MSG_ID = /^[\x21-\x7e]+$/;

/** A new secret: `whsec_` + base64 of 24 random bytes (192 bits; 32 characters, no padding). */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

/** The key bytes of a secret; the `whsec_` prefix is optional, as in the package. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (encoded === '' || !BASE64.test(encoded)) throw new Error('webhook secret is not "whsec_" followed by base64');
  return Buffer.from(encoded, 'base64');
}

function checkInputs(msgId: string, timestampSeconds: number): void {
  if (!MSG_ID.test(msgId)) throw new Error('webhook message id must be non-empty printable ASCII without spaces');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new Error('webhook timestamp must be a whole number of seconds since the epoch');
  }
}

/** The `webhook-signature` header value for one delivery attempt: `v1,<base64 HMAC-SHA256>`. */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  checkInputs(msgId, timestampSeconds);
  const mac = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * All headers of a signed delivery. The id stays the same across retries of one message (so
 * receivers can deduplicate); the timestamp is the attempt's, so receivers' replay window holds.
 */
export function webhookHeaders(secret: string, msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signWebhook(secret, msgId, timestampSeconds, body),
  };
}
