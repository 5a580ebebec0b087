import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, type Config } from '../../src/config.js';

/**
 * On/off settings fail closed: "0", "no", "off" and "False" mean off (they used to mean on), and a
 * value that is neither stops the start naming the key and the variable it came from.
 */
const load = (env: Record<string, string>): Config => loadConfig({ REELAY_CONFIG: '', ...env }, {});
const S3 = { REELAY_S3_BUCKET: 'videos' };

const FLAGS: Array<[env: string, read: (c: Config) => boolean | undefined, path: string, extra: Record<string, string>]> = [
  ['REELAY_TRUST_PROXY', (c) => c.trustProxy, 'trustProxy', {}],
  ['REELAY_EMULATOR_FAULTS', (c) => c.emulatorFaults, 'emulatorFaults', {}],
  ['REELAY_WORKER', (c) => c.worker.enabled, 'worker.enabled', {}],
  ['REELAY_S3_FORCE_PATH_STYLE', (c) => c.s3?.forcePathStyle, 's3.forcePathStyle', S3],
];

describe('on/off settings', () => {
  for (const [env, read, path, extra] of FLAGS) {
    it(`${env}: true/false, 1/0, yes/no, on/off in any case; anything else stops the start`, () => {
      for (const off of ['0', 'no', 'off', 'False', 'FALSE', 'false', ' Off ']) expect(read(load({ ...extra, [env]: off })), `${env}=${off}`).toBe(false);
      for (const on of ['1', 'yes', 'on', 'True', 'TRUE', 'true', 'YES']) expect(read(load({ ...extra, [env]: on })), `${env}=${on}`).toBe(true);
      for (const bad of ['maybe', '2', 'enabled', 'nope']) {
        expect(() => load({ ...extra, [env]: bad })).toThrow(
          `invalid config value for "${path}" (from ${env}): must be true or false (or 1/0, yes/no, on/off), not "${bad}"`,
        );
      }
    });
  }

  it('in the config file, the string "false" is false and a non-flag is refused naming the key', () => {
    expect(parseConfig({ trustProxy: 'false', emulatorFaults: 'off', worker: { enabled: 'no' } })).toMatchObject({
      trustProxy: false,
      emulatorFaults: false,
      worker: { enabled: false },
    });
    expect(parseConfig({ trustProxy: true, emulatorFaults: 1 })).toMatchObject({ trustProxy: true, emulatorFaults: true });
    expect(() => parseConfig({ emulatorFaults: 'sometimes' })).toThrow('invalid config value for "emulatorFaults": must be true or false');
    expect(() => parseConfig({ worker: { enabled: 5 } })).toThrow('invalid config value for "worker.enabled"');
  });
});

describe('unknown config keys', () => {
  it('are refused with their full path, at the top and inside sections and models', () => {
    expect(() => parseConfig({ trustproxy: true })).toThrow('unknown config key "trustproxy": check the spelling');
    expect(() => parseConfig({ worker: { concurency: 2 } })).toThrow('unknown config key "worker.concurency"');
    expect(() => parseConfig({ models: { 'veo-2-image2video': { engine: 'motion', prise: 3 } } })).toThrow(
      'unknown config key "models.veo-2-image2video.prise"',
    );
    expect(() => parseConfig({ segmind: { apiKey: 'k', retries: 3 } })).toThrow('unknown config key "segmind.retries"');
  });
});

describe('browser and metrics settings', () => {
  it('REELAY_CORS_ORIGINS is a comma list of origins or "*"; a path or a non-URL is refused', () => {
    expect(load({ REELAY_CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(load({ REELAY_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(load({}).corsOrigins).toEqual([]);
    expect(() => load({ REELAY_CORS_ORIGINS: 'https://a.example/app' })).toThrow(
      'invalid config value for "corsOrigins" (from REELAY_CORS_ORIGINS): "https://a.example/app" is not an origin',
    );
    expect(() => load({ REELAY_CORS_ORIGINS: 'a.example' })).toThrow('"a.example" is not an origin');
  });
  it('REELAY_METRICS_TOKEN must be at least 16 characters', () => {
    expect(load({ REELAY_METRICS_TOKEN: 'x'.repeat(16) }).metricsToken).toBe('x'.repeat(16));
    expect(() => load({ REELAY_METRICS_TOKEN: 'short' })).toThrow(
      'invalid config value for "metricsToken" (from REELAY_METRICS_TOKEN): must be at least 16 characters',
    );
  });
});
