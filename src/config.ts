import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { configSchema, type Config, type EngineName } from './config-schema.js';
import { ENGINES, engineDefinition, engineSection } from './engines/definitions.js';

export { configSchema, type Config };

/*
 * Loading the settings (the schema is in config-schema.ts): environment > config file > defaults,
 * validated once at start; a bad value is a ConfigError naming the key and where it came from.
 */

/** Settings whose environment variable is a comma-separated list. */
const LIST_KEYS = new Set(['allowList', 'corsOrigins']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_KEYS: Array<[string, string[]]> = [
  ['REELAY_HOST', ['host']],
  ['REELAY_PORT', ['port']],
  ['PORT', ['port']],
  ['REELAY_DATA_DIR', ['dataDir']],
  ['REELAY_PUBLIC_URL', ['publicUrl']],
  ['REELAY_TRUST_PROXY', ['trustProxy']],
  ['REELAY_BOOTSTRAP_KEY', ['bootstrapKey']],
  ['REELAY_METRICS_TOKEN', ['metricsToken']],
  ['REELAY_CORS_ORIGINS', ['corsOrigins']],
  ['REELAY_LOG_LEVEL', ['logLevel']],
  ['REELAY_SYNC_TIMEOUT', ['syncTimeout']],
  ['REELAY_RETENTION', ['retention']],
  ['REELAY_SWEEP_INTERVAL', ['sweepInterval']],
  ['REELAY_EMULATOR_FAULTS', ['emulatorFaults']],
  ['REELAY_OPENAI_DEFAULT_MODEL', ['doors', 'openai', 'defaultModel']],
  ['REELAY_SLOW_FAULT_DURATION', ['slowFaultDuration']],
  ['REELAY_MAX_BODY_BYTES', ['maxBodyBytes']],
  ['REELAY_BODY_BUDGET', ['bodyBudget']],
  ['REELAY_IMAGE_ALLOW_LIST', ['image', 'allowList']],
  ['REELAY_WORKER', ['worker', 'enabled']],
  ['REELAY_WORKER_CONCURRENCY', ['worker', 'concurrency']],
  ['REELAY_LEASE', ['worker', 'lease']],
  ['REELAY_HEARTBEAT', ['worker', 'heartbeat']],
  ['REELAY_MAX_ATTEMPTS', ['worker', 'maxAttempts']],
  ['REELAY_SHUTDOWN_GRACE', ['worker', 'shutdownGrace']],
  ['REELAY_FFMPEG', ['ffmpegPath']],
  ['DATABASE_URL', ['databaseUrl']],
  ['REELAY_DATABASE_URL', ['databaseUrl']],
  ['REELAY_DATABASE_SCHEMA', ['databaseSchema']],
  ['REELAY_S3_BUCKET', ['s3', 'bucket']],
  ['REELAY_S3_ENDPOINT', ['s3', 'endpoint']],
  ['REELAY_S3_REGION', ['s3', 'region']],
  ['REELAY_S3_ACCESS_KEY_ID', ['s3', 'accessKeyId']],
  ['REELAY_S3_SECRET_ACCESS_KEY', ['s3', 'secretAccessKey']],
  ['REELAY_S3_FORCE_PATH_STYLE', ['s3', 'forcePathStyle']],
  ['REELAY_S3_PREFIX', ['s3', 'prefix']],
  ['REELAY_OUTPUT_URLS', ['outputUrls']],
  ['REELAY_BOOTSTRAP_CREDITS', ['bootstrapCredits']],
  ['REELAY_WEBHOOK_RETRY_FOR', ['webhooks', 'retryFor']],
  ['REELAY_WEBHOOK_TIMEOUT', ['webhooks', 'timeout']],
  ['REELAY_WEBHOOK_ALLOW_LIST', ['webhooks', 'allowList']],
  ['REELAY_QUEUE_TIMEOUT', ['queueTimeout']],
  ['REELAY_SUBMIT_PER_MINUTE', ['limits', 'submitPerMinute']],
  ['REELAY_POLL_PER_MINUTE', ['limits', 'pollPerMinute']],
  ['REELAY_MAX_INFLIGHT', ['limits', 'maxInflight']],
  // Each engine's own variables (GEMINI_API_KEY, SEGMIND_API_KEY, …), under its section's key.
  ...ENGINES.flatMap(({ config }) => (config ? (config.env ?? []).map(([name, path]): [string, string[]] => [name, [config.key, ...path]]) : [])),
];

/**
 * Loads the config: `REELAY_CONFIG` or `reelay.config.json` in the working directory (if present),
 * overlaid with environment variables, then validated. `overrides` (from CLI flags or tests) win over all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  const file = env.REELAY_CONFIG ?? 'reelay.config.json';
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`config file ${resolve(file)} is not valid JSON: ${(err as Error).message}`);
    }
  } else if (env.REELAY_CONFIG) {
    throw new ConfigError(`config file ${resolve(file)} (REELAY_CONFIG) does not exist`);
  }
  // PORT is the platform convention (Heroku, Cloud Run); REELAY_PORT is more specific and wins.
  const fromEnv = new Map<string, string>();
  for (const [name, path] of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (name === 'PORT' && env.REELAY_PORT) continue;
    setPath(
      raw,
      path,
      LIST_KEYS.has(path.at(-1) ?? '')
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : envValue(value),
    );
    fromEnv.set(path.join('.'), name);
  }
  for (const [key, value] of Object.entries(overrides)) raw[key] = value;
  return parseConfig(raw, fromEnv);
}

/**
 * Validates a raw config. Unknown keys are refused like bad values (a misspelt setting must not
 * silently keep its default); `fromEnv` names the environment variable a key came from, so the
 * message points at what the operator actually typed.
 */
export function parseConfig(raw: Record<string, unknown>, fromEnv: ReadonlyMap<string, string> = new Map()): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    if (issue?.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      throw new ConfigError(
        `unknown config key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}: check the spelling (README lists every setting)`,
      );
    }
    const source = fromEnv.get(path);
    throw new ConfigError(`invalid config value for "${path || '?'}"${source ? ` (from ${source})` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  // With an engine configured that claims a default model (Veo with a Google key claims
  // veo-2-image2video) and no explicit model table, that model means the real thing.
  // (A new object: zod hands out the same default object on every parse, so it must not be mutated.)
  for (const def of ENGINES) {
    const slug = def.claimsDefaultModel;
    const defaultModel = slug === undefined ? undefined : parsed.data.models[slug];
    if (slug && defaultModel && raw.models === undefined && engineSection(def, parsed.data) !== undefined) {
      parsed.data.models = { ...parsed.data.models, [slug]: { ...defaultModel, engine: def.name as EngineName } };
    }
  }
  for (const [slug, m] of Object.entries(parsed.data.models)) {
    const def = engineDefinition(m.engine);
    if (def?.needs && engineSection(def, parsed.data) === undefined) {
      throw new ConfigError(`invalid config value for "models.${slug}.engine": "${def.name}" needs ${def.needs}`);
    }
  }
  checkDoorModels(parsed.data, raw);
  if (parsed.data.bodyBudget < parsed.data.maxBodyBytes) {
    throw new ConfigError(
      `invalid config value for "bodyBudget": ${parsed.data.bodyBudget} is less than maxBodyBytes (${parsed.data.maxBodyBytes}), so a body at the limit could never be read`,
    );
  }
  if (parsed.data.outputUrls === 'presigned' && !parsed.data.s3) {
    throw new ConfigError('invalid config value for "outputUrls": "presigned" needs an S3 bucket (s3.bucket / REELAY_S3_BUCKET)');
  }
  return parsed.data;
}

/**
 * A door model mapping the operator wrote must name a model this server serves. The defaults are
 * not checked: an operator with other models simply gets a clear 404 through that door.
 */
function checkDoorModels(config: Config, raw: Record<string, unknown>): void {
  const doors = (raw.doors ?? {}) as { openai?: { models?: object; defaultModel?: unknown }; gemini?: { models?: object } };
  const given: Array<[string, string]> = [
    ...Object.entries(config.doors.openai.models)
      .filter(() => doors.openai?.models !== undefined)
      .map(([k, v]): [string, string] => [`doors.openai.models.${k}`, v]),
    ...Object.entries(config.doors.gemini.models)
      .filter(() => doors.gemini?.models !== undefined)
      .map(([k, v]): [string, string] => [`doors.gemini.models.${k}`, v]),
    ...(doors.openai?.defaultModel !== undefined ? [['doors.openai.defaultModel', config.doors.openai.defaultModel] as [string, string]] : []),
  ];
  for (const [key, model] of given) {
    if (!Object.hasOwn(config.models, model)) {
      throw new ConfigError(`invalid config value for "${key}": "${model}" is not one of the models (${Object.keys(config.models).join(', ')})`);
    }
  }
}

function envValue(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
}
