import type { NewRequest } from '../../src/store/store.js';

let counter = 0;

/** A valid NewRequest for store tests; override what the test is about. */
export function newRequest(accountId: string, overrides: Partial<NewRequest> = {}): NewRequest {
  const id = overrides.id ?? `r${++counter}`;
  return {
    id,
    accountId,
    model: 'veo-2-image2video',
    engine: 'motion',
    params: { prompt: '', duration: 5, aspect_ratio: '16:9', seed: 7 },
    fault: null,
    inputKey: `inputs/${id}`,
    inputMime: 'image/png',
    createdAt: Date.now() + counter,
    price: 0,
    baseUrl: 'http://reelay.test',
    webhookUrl: null,
    idempotencyKey: null,
    requestHash: null,
    door: null,
    doorModel: null,
    ...overrides,
  };
}
