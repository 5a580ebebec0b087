import type { Config } from '../config.js';
import { ffmpegPath } from '../media/binaries.js';
import type { Engine } from './engine.js';

/**
 * The engines this process can run, by name; models map to these names in config. Engines are
 * loaded on demand, so an api-only process never loads render code or upstream SDKs.
 */
export async function createEngines(config: Config): Promise<Map<string, Engine>> {
  const wanted = new Set(Object.values(config.models).map((m) => m.engine));
  const engines = new Map<string, Engine>();
  if (wanted.has('motion')) {
    const { createMotionEngine } = await import('./motion/index.js');
    engines.set('motion', createMotionEngine({ ffmpegPath: ffmpegPath(config.ffmpegPath) }));
  }
  if (wanted.has('replay') && config.replay) {
    const { createReplayEngine } = await import('./replay.js');
    engines.set('replay', createReplayEngine({ videoPath: config.replay.video, delayMs: config.replay.delay }));
  }
  return engines;
}
