import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const load = (env: Record<string, string>) => loadConfig({ REELAY_CONFIG: '', ...env }, {});

describe('config', () => {
  it('needs nothing: defaults serve the embedded mode', () => {
    const config = load({});
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: './data', retention: 3_600_000, syncTimeout: 600_000, emulatorFaults: false });
    expect(config.models['veo-2-image2video']).toEqual({ engine: 'motion', timeout: 600_000, price: { perSecond: 10, perRequest: 0 } });
    expect(config.limits).toEqual({ submitPerMinute: 60, pollPerMinute: 1200, maxInflight: 20, window: 60_000 });
  });
  it('reads the documented environment variables', () => {
    const config = load({
      REELAY_PORT: '9000',
      REELAY_HOST: '127.0.0.1',
      REELAY_DATA_DIR: '/tmp/x',
      REELAY_PUBLIC_URL: 'https://v.example.com',
      REELAY_BOOTSTRAP_KEY: 'k'.repeat(20),
      REELAY_RETENTION: '30m',
      REELAY_EMULATOR_FAULTS: 'true',
      REELAY_IMAGE_ALLOW_LIST: '10.0.0.0/8, cdn.local',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      publicUrl: 'https://v.example.com',
      retention: 1_800_000,
      emulatorFaults: true,
    });
    expect(config.bootstrapKey).toBe('k'.repeat(20));
    expect(config.image.allowList).toEqual(['10.0.0.0/8', 'cdn.local']);
  });
  it("maps the other front doors' model names, refusing a mapping to a model it does not serve", () => {
    expect(load({}).doors).toEqual({
      openai: { models: {}, defaultModel: 'veo-2-image2video' },
      gemini: { models: { 'veo-2.0-generate-001': 'veo-2-image2video' } },
    });
    const models = { 'veo-2-image2video': {}, 'wan-i2v': {} };
    expect(loadConfig({ REELAY_CONFIG: '', REELAY_OPENAI_DEFAULT_MODEL: 'wan-i2v' }, { models }).doors.openai.defaultModel).toBe('wan-i2v');
    expect(() => load({ REELAY_OPENAI_DEFAULT_MODEL: 'nope' })).toThrow(/"doors.openai.defaultModel": "nope" is not one of the models/);
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { doors: { gemini: { models: { 'veo-3': 'x' } } } })).toThrow(/"doors.gemini.models.veo-3"/);
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { doors: { openai: { model: {} } } })).toThrow(/unknown config key "doors.openai.model"/);
  });
  it('takes PORT when REELAY_PORT is absent, and REELAY_PORT over PORT', () => {
    expect(load({ PORT: '7000' }).port).toBe(7000);
    expect(load({ PORT: '7000', REELAY_PORT: '7001' }).port).toBe(7001);
  });
  it('names the bad key in the error', () => {
    expect(() => load({ REELAY_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => load({ REELAY_PORT: 'eighty' })).toThrow(/"port"/);
    expect(() => load({ REELAY_RETENTION: 'soon' })).toThrow(/"retention"/);
    expect(() => load({ REELAY_PUBLIC_URL: 'not a url' })).toThrow(/"publicUrl"/);
    expect(() => load({ REELAY_IMAGE_ALLOW_LIST: '10.0.0.0/99' })).toThrow(/"image.allowList"/);
  });
  it('routes veo-2-image2video to the real Veo when a Google key is set, and to motion otherwise', () => {
    expect(load({ GEMINI_API_KEY: 'g-key' }).models['veo-2-image2video']?.engine).toBe('veo');
    expect(load({ REELAY_VEO_VERTEX_PROJECT: 'my-project' }).veo?.vertex).toEqual({ project: 'my-project', location: 'us-central1' });
    expect(load({}).models['veo-2-image2video']?.engine).toBe('motion');
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { models: { x: { engine: 'veo' } } })).toThrow(/"models.x.engine": "veo" needs GEMINI_API_KEY/);
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { models: { x: { engine: 'segmind' } } })).toThrow(/SEGMIND_API_KEY/);
  });

  it('reads each engine section from its definition: env keys, defaults, needs and the default-model claim', () => {
    const segmind = load({ SEGMIND_API_KEY: 's', REELAY_SEGMIND_RETRY_BUDGET: '30s' }).segmind;
    expect(segmind).toEqual({ apiKey: 's', baseUrl: 'https://api.segmind.com', pollInterval: 2_000, concurrency: 8, retryBudget: 30_000 });
    // Later env entries of a definition win: REELAY_VEO_API_KEY over GEMINI_API_KEY.
    expect(load({ GEMINI_API_KEY: 'g', REELAY_VEO_API_KEY: 'h', REELAY_VEO_CONCURRENCY: '3' }).veo).toMatchObject({ apiKey: 'h', concurrency: 3 });
    // An explicit models table is the operator's word: Veo claims nothing then.
    const explicit = loadConfig({ REELAY_CONFIG: '', GEMINI_API_KEY: 'g' }, { models: { 'veo-2-image2video': { engine: 'motion' } } });
    expect(explicit.models['veo-2-image2video']?.engine).toBe('motion');
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { models: { x: { engine: 'replay' } } })).toThrow(
      'invalid config value for "models.x.engine": "replay" needs replay.video (the MP4 to answer with)',
    );
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { models: { x: { engine: 'comfy' } } })).toThrow(
      'invalid config value for "models.x.engine": Invalid option: expected one of "motion"|"replay"|"veo"|"segmind"',
    );
    expect(() => loadConfig({ REELAY_CONFIG: '' }, { veo: {} })).toThrow(
      'invalid config value for "veo": needs apiKey (GEMINI_API_KEY) or vertex.project (REELAY_VEO_VERTEX_PROJECT)',
    );
    expect(loadConfig({ REELAY_CONFIG: '' }, { replay: { video: 'v.mp4', delay: '2s' } }).replay).toEqual({ video: 'v.mp4', delay: 2_000 });
  });

  it('refuses a missing config file named by REELAY_CONFIG', () => {
    expect(() => loadConfig({ REELAY_CONFIG: '/nonexistent/reelay.json' })).toThrow(/does not exist/);
  });
  it('Veo endpoints, model and poll intervals have environment variables', () => {
    const config = load({
      GEMINI_API_KEY: 'k',
      REELAY_VEO_BASE_URL: 'http://gemini-proxy.internal',
      REELAY_VEO_MODEL: 'veo-2.0-generate-exp',
      REELAY_VEO_POLL_INTERVAL: '1s',
      REELAY_VEO_POLL_MAX_INTERVAL: '30s',
      REELAY_VEO_VERTEX_PROJECT: 'p',
      REELAY_VEO_VERTEX_BASE_URL: 'http://vertex-proxy.internal',
      REELAY_VEO_VERTEX_STORAGE_BASE_URL: 'http://gcs-proxy.internal',
    });
    expect(config.veo).toMatchObject({
      baseUrl: 'http://gemini-proxy.internal',
      model: 'veo-2.0-generate-exp',
      pollInterval: 1_000,
      pollMaxInterval: 30_000,
      vertex: { project: 'p', baseUrl: 'http://vertex-proxy.internal', storageBaseUrl: 'http://gcs-proxy.internal' },
    });
  });
});
