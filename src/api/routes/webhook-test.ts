import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { webhookUrlProblem } from '../../net/webhook-url.js';
import { invalidRequest } from '../../errors.js';
import { sendWebhook } from '../../webhooks/send.js';
import { generateWebhookSecret } from '../../webhooks/signature.js';
import { readJsonBody } from '../body.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';

export const webhookTestRoutes = new Hono<AppEnv>();

export const webhookTestInput = z.object({ url: z.string({ error: 'is required: the webhook URL to test, as a string' }) });

/**
 * Sends one signed test delivery to a receiver now and reports what it answered, so a user can
 * check their endpoint and signature verification before relying on it.
 */
webhookTestRoutes.post('/v2/webhooks/test', requireScope('generate'), rateLimit('submit'), async (c) => {
  const { store, config } = c.get('services');
  const { url } = parseInput(webhookTestInput, await readJsonBody(c));
  const problem = await webhookUrlProblem(url, config.webhooks.allowList);
  if (problem) throw invalidRequest([{ field: 'url', message: problem }]);
  const accountId = c.get('auth').accountId;
  const msgId = `msg_test_${randomUUID()}`;
  const body = JSON.stringify({ type: 'webhook.test', account_id: accountId, sent_at: new Date().toISOString() });
  const outcome = await sendWebhook({
    url,
    secret: await store.webhookSecret(accountId, generateWebhookSecret),
    msgId,
    body,
    allowList: config.webhooks.allowList,
    timeoutMs: config.webhooks.timeout,
  });
  return c.json({ ok: outcome.ok, webhook_id: msgId, status: outcome.status, error: outcome.error, duration_ms: Math.round(outcome.durationMs) });
});
