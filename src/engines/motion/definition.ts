import { defineEngine } from '../engine.js';

/** The built-in CPU engine, and the default: the only one that works with no config at all. */
export const motionDefinition = defineEngine({
  name: 'motion',
  isDefault: true,
  describe: {
    generative: false,
    note: 'Built-in CPU engine: smooth camera motion (zoom, pan, tilt) over the input image. Not a generative model; no new content is created.',
    // Same image, params and seed: same bytes.
    seedReproducible: () => true,
  },
  concurrency: (_section, setup) => setup.localConcurrency,
  async create(_section, setup) {
    const [{ createMotionEngine }, { ffmpegPath }] = await Promise.all([import('./index.js'), import('../../media/binaries.js')]);
    return createMotionEngine({ ffmpegPath: ffmpegPath(setup.ffmpegPath) });
  },
});
