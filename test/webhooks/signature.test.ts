import { describe, expect, it } from 'vitest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, webhookHeaders } from '../../src/webhooks/signature.js';

const body = JSON.stringify({ id: 'req_1', status: 'COMPLETED', output: 'https://example.com/v.mp4' });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function verifyError(secret: string, payload: string, headers: Record<string, string>): unknown {
  try {
    new Webhook(secret).verify(payload, headers);
  } catch (err) {
    return err;
  }
  return null;
}

describe('webhook signatures', () => {
  it('are accepted by the standardwebhooks package', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders(secret, 'msg_abc123', nowSeconds(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['content-type']).toBe('application/json');
  });

  it('are rejected when the body, id or timestamp is altered', () => {
    const secret = generateWebhookSecret();
    const ts = nowSeconds();
    const headers = webhookHeaders(secret, 'msg_abc123', ts, body);
    const noMatch = (payload: string, changed: Record<string, string>): void => {
      const err = verifyError(secret, payload, { ...headers, ...changed });
      expect(err).toBeInstanceOf(WebhookVerificationError);
      // The signature check, not the replay window, must be what fails.
      expect((err as Error).message).toBe('No matching signature found');
    };
    noMatch(body.replace('COMPLETED', 'FAILED'), {});
    noMatch(body, { 'webhook-id': 'msg_abc124' });
    noMatch(body, { 'webhook-timestamp': String(ts + 1) });
    // And a different secret.
    expect(verifyError(generateWebhookSecret(), body, headers)).toBeInstanceOf(WebhookVerificationError);
  });

  it('match known answers computed with the package', () => {
    // The example from the Standard Webhooks spec; the package signs it to the same value.
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    // Non-ASCII body: the HMAC is over UTF-8 bytes. Vector from Webhook#sign in standardwebhooks 1.1.1.
    const utf8 = JSON.stringify({ status: 'COMPLETED', note: 'café – 動画 🎬' });
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_2Lh9KRb0pzN4LePd3XiA4v12Axj', 1700000000, utf8)).toBe(
      'v1,7T6m/wrH/r4T5SGKh/fZGXW/vdLJa+FhVdaS5pYtbyc=',
    );
  });

  it('agree with the package for random secrets and bodies, with or without the prefix', () => {
    for (let i = 0; i < 20; i++) {
      const secret = generateWebhookSecret();
      const payload = JSON.stringify({ i, text: 'x'.repeat(i * 37), emoji: '🎥'.repeat(i) });
      const expected = new Webhook(secret).sign(`msg_${i}`, new Date(1_700_000_000_000 + i * 1000), payload);
      expect(signWebhook(secret, `msg_${i}`, 1_700_000_000 + i, payload)).toBe(expected);
      expect(signWebhook(secret.slice('whsec_'.length), `msg_${i}`, 1_700_000_000 + i, payload)).toBe(expected);
    }
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    }
  });

  it('refuse malformed secrets, ids and timestamps instead of signing wrongly', () => {
    expect(() => signWebhook('whsec_', 'msg_1', 1, body)).toThrow(/secret/);
    expect(() => signWebhook('whsec_not base64!', 'msg_1', 1, body)).toThrow(/secret/);
    expect(() => signWebhook(generateWebhookSecret(), '', 1, body)).toThrow(/id/);
    expect(() => signWebhook(generateWebhookSecret(), 'msg 1\n', 1, body)).toThrow(/id/);
    expect(() => signWebhook(generateWebhookSecret(), 'msg_1', 1.5, body)).toThrow(/timestamp/);
  });
});
