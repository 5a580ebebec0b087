import { z } from 'zod';
import { duration } from '../../config-values.js';
import { defineEngine } from '../engine.js';

/** `replay`: the video to answer every request with, and how long each request takes. */
export const replayConfigSchema = z.strictObject({ video: z.string().min(1), delay: duration.default(0) });

/** The load-test engine (config section `replay`). */
export const replayDefinition = defineEngine({
  name: 'replay',
  config: { key: 'replay', schema: replayConfigSchema },
  needs: 'replay.video (the MP4 to answer with)',
  describe: {
    generative: false,
    note: 'Load-test engine: answers every request with the same pre-rendered video after a fixed delay. Not a generative model.',
    seedReproducible: () => true,
  },
  // Copying one file costs nothing, but the worker's local limit keeps load tests comparable with motion.
  concurrency: (_section, setup) => setup.localConcurrency,
  async create(section) {
    const { createReplayEngine } = await import('./index.js');
    return createReplayEngine({ videoPath: section.video, delayMs: section.delay });
  },
});
