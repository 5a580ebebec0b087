import { createComfyEngine, type ComfyEngine } from '../../src/engines/comfyui/index.js';
import type { ComfyModel } from '../../src/engines/comfyui/models.js';
import { silentLogger } from '../../src/logger.js';

/**
 * A comfyui engine on `servers` (fakes on loopback) serving `model`, with a short quiet interval
 * and no health timer, its start-up check run. Pushed onto `engines` so the test can close it.
 */
export async function startComfyEngine(
  engines: ComfyEngine[],
  model: ComfyModel,
  servers: Array<{ url: string; concurrency?: number; headers?: Record<string, string> }>,
): Promise<ComfyEngine> {
  const e = createComfyEngine({
    servers: servers.map((s) => ({ url: s.url, concurrency: s.concurrency ?? 1, headers: s.headers ?? {} })),
    models: [model],
    quietMs: 150,
    healthIntervalMs: 0,
    log: silentLogger(),
  });
  engines.push(e);
  await e.checkModels();
  return e;
}
