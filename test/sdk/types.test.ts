import { describe, expect, it } from 'vitest';
import { ASPECT_RATIOS, DURATIONS, Reelay, type Veo2Image2VideoParams } from '@reelay/sdk';

// Compile-time checks: `npx tsc -p tsconfig.test.json` fails if a wrong value stops being an error.
describe('veo-2-image2video types', () => {
  it('reject a wrong duration and aspect ratio at compile time', () => {
    const client = new Reelay({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    const submit = (): unknown => [
      // @ts-expect-error duration must be 5, 6, 7 or 8
      client.submitAsync('veo-2-image2video', { image: 'x', duration: 9 }),
      // @ts-expect-error aspect_ratio must be "16:9" or "9:16"
      client.run('veo-2-image2video', { image: 'x', aspect_ratio: '4:3' }),
      // @ts-expect-error image is required
      client.runSync('veo-2-image2video', { duration: 5 }),
      // Unknown models take any object: their rules are the server's.
      client.submitAsync('some-other-model', { anything: true }),
    ];
    const ok: Veo2Image2VideoParams = { image: 'x', duration: 8, aspect_ratio: '9:16', seed: null };
    expect(typeof submit).toBe('function');
    expect(ok.duration).toBe(8);
  });

  it('export the same rules the server validates with', () => {
    expect(DURATIONS).toEqual([5, 6, 7, 8]);
    expect(ASPECT_RATIOS).toEqual(['16:9', '9:16']);
  });
});
