import { expect } from 'vitest';
import { createSegmindEngine } from '../../src/engines/segmind/index.js';
import { createVeoEngine } from '../../src/engines/veo/index.js';
import { startGeminiFake } from '../fakes/gemini.js';
import { FAST } from '../fakes/job.js';
import { startSegmindFake } from '../fakes/segmind.js';
import { startVertexFake } from '../fakes/vertex.js';
import { describeRemoteEngineContract, type EngineOptions } from './remote-contract.js';

/** Veo polls with a growing interval: 30 ms, then 600 ms (capped at 2 s). */
const veoPoll = (o: EngineOptions) => (o.slowPolls ? { poll: { initialMs: 30, maxMs: 2_000, factor: 20 } } : {});

describeRemoteEngineContract({
  name: 'veo through the Gemini API (real @google/genai SDK)',
  startFake: () => startGeminiFake(),
  engine: (fake, o) =>
    createVeoEngine({
      ...FAST,
      gemini: { apiKey: o.badCredentials ? 'nope' : fake.apiKey, baseUrl: fake.url },
      ...(o.retry ? { retry: o.retry } : {}),
      ...veoPoll(o),
    }),
  isSubmit: (r) => r.path.endsWith(':predictLongRunning'),
  messages: { blocked: 'Support codes: 58061214', failed: 'internal error', refused: 'API key not valid' },
  // Best effort: a canceled operation is deleted at Google, so it stops costing quota.
  afterCancel: (fake) => expect(fake.deletes.length).toBe(1),
});

describeRemoteEngineContract({
  name: 'veo through Vertex AI',
  startFake: () => startVertexFake(),
  engine: (fake, o) =>
    createVeoEngine({
      ...FAST,
      vertex: {
        project: 'my-proj',
        location: 'us-central1',
        baseUrl: fake.url,
        storageBaseUrl: fake.url,
        getAccessToken: async () => (o.badCredentials ? 'expired' : fake.token),
      },
      ...(o.retry ? { retry: o.retry } : {}),
      ...veoPoll(o),
    }),
  isSubmit: (r) => r.path.endsWith(':predictLongRunning'),
  messages: { blocked: 'violates the usage guidelines', failed: 'Image could not be processed', refused: 'credentials' },
});

describeRemoteEngineContract({
  name: 'segmind',
  startFake: () => startSegmindFake(),
  engine: (fake, o) =>
    createSegmindEngine({
      apiKey: o.badCredentials ? 'wrong' : fake.apiKey,
      baseUrl: fake.url,
      pollIntervalMs: o.slowPolls ? 600 : 30,
      typicalMs: 200,
      ...(o.retry ? { retry: o.retry } : {}),
    }),
  isSubmit: (r) => r.method === 'POST',
  messages: { blocked: 'NSFW', failed: 'worker crashed', refused: 'SEGMIND_API_KEY' },
});
