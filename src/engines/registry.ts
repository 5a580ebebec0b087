import type { Config } from '../config.js';
import { ffmpegPath } from '../media/binaries.js';
import type { Engine } from './engine.js';
import { createMotionEngine } from './motion/index.js';

/** The engines this process can run, by name; models map to these names in config. */
export function createEngines(config: Config): Map<string, Engine> {
  const engines = new Map<string, Engine>();
  const motion = createMotionEngine({ ffmpegPath: ffmpegPath(config.ffmpegPath) });
  engines.set(motion.name, motion);
  return engines;
}
