import { z } from 'zod';
import { ASPECT_RATIOS, DURATIONS, type Duration } from '@reelay/sdk';
import { allowListProblems } from './net/allow-list.js';
import { duration, flag } from './config-values.js';
import { DEFAULT_ENGINE, ENGINE_DEFINITIONS, ENGINES } from './engines/definitions.js';

/**
 * All settings of Reelay, resolved once at start and passed down; nothing else reads
 * process.env. Precedence: environment (REELAY_* and a few well-known names) > config file > defaults.
 * A bad value stops start-up with a message that names the key.
 */
const credits = z.coerce.number().int().min(0);

/** CIDRs, IPs or host names that outgoing fetches may reach despite the private-address guard. */
const allowListSchema = z
  .array(z.string())
  .default([])
  .superRefine((entries, ctx) => {
    for (const problem of allowListProblems(entries)) ctx.addIssue({ code: 'custom', message: problem });
  });

type EngineDefinitions = (typeof ENGINE_DEFINITIONS)[number];
export type EngineName = EngineDefinitions['name'];

/** Each engine's config section (veo, segmind, …), optional, under the key its definition names. */
type EngineSections = {
  [D in EngineDefinitions as NonNullable<D['config']>['key']]: z.ZodOptional<NonNullable<D['config']>['schema']>;
};

const engineSections = Object.fromEntries(ENGINES.flatMap((d) => (d.config ? [[d.config.key, d.config.schema.optional()]] : []))) as EngineSections;

const modelSchema = z.strictObject({
  engine: z.enum(ENGINES.map((d) => d.name) as [EngineName, ...EngineName[]]).default(DEFAULT_ENGINE.name as EngineName),
  /** With engine "segmind": the Segmind model slug to forward to (default: the same slug). */
  upstreamModel: z.string().optional(),
  /** Hard limit on one attempt's run time; past it the engine is aborted and the request FAILS with "timeout". */
  timeout: duration.default(600_000),
  /**
   * What clients may choose for this model: a subset of docs/api.md §2's durations and aspect ratios and
   * the defaults (shown in /v1/models). Absent: docs/api.md §2 exactly, as veo-2-image2video must be.
   */
  parameters: z
    .strictObject({
      durations: z
        .array(z.union(DURATIONS.map((d) => z.literal(d)) as [z.ZodLiteral<Duration>, ...z.ZodLiteral<Duration>[]]))
        .min(1)
        .optional(),
      defaultDuration: z.union(DURATIONS.map((d) => z.literal(d)) as [z.ZodLiteral<Duration>, ...z.ZodLiteral<Duration>[]]).optional(),
      aspectRatios: z.array(z.enum(ASPECT_RATIOS)).min(1).optional(),
      defaultAspectRatio: z.enum(ASPECT_RATIOS).optional(),
    })
    .refine((p) => p.defaultDuration === undefined || !p.durations || p.durations.includes(p.defaultDuration), {
      error: 'defaultDuration must be one of durations',
    })
    .refine((p) => p.defaultAspectRatio === undefined || !p.aspectRatios || p.aspectRatios.includes(p.defaultAspectRatio), {
      error: 'defaultAspectRatio must be one of aspectRatios',
    })
    .optional(),
  /** Credits charged at submit: perRequest + perSecond × duration. */
  price: z.strictObject({ perSecond: credits.default(10), perRequest: credits.default(0) }).prefault({}),
});

export const configSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  publicUrl: z.string().url().optional(),
  trustProxy: flag.default(false),
  bootstrapKey: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Bearer token a Prometheus scraper sends for /metrics; without it, only admin keys may read /metrics. */
  metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Browser origins allowed to call the API cross-origin (CORS); none by default, "*" for any. */
  corsOrigins: z
    .array(z.string())
    .default([])
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        if (origin !== '*' && !isOrigin(origin))
          ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com (scheme, host, optional port; no path), or "*"` });
      }
    }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Milliseconds; strings like "600s", "1h" are accepted. */
  syncTimeout: duration.default(600_000),
  retention: duration.default(3_600_000),
  sweepInterval: duration.default(30_000),
  emulatorFaults: flag.default(false),
  /** How long the `slow` emulator fault keeps a request PROCESSING before it completes. */
  slowFaultDuration: duration.default(60_000),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 1024 * 1024),
  /** Bytes of request bodies one process holds at once; past it a submit gets 503 server_busy with Retry-After. */
  bodyBudget: z.coerce
    .number()
    .int()
    .positive()
    .default(96 * 1024 * 1024),
  image: z
    .strictObject({
      maxEncodedBytes: z.coerce
        .number()
        .int()
        .positive()
        .default(20 * 1024 * 1024),
      maxPixels: z.coerce.number().int().positive().default(40_000_000),
      fetchTimeout: duration.default(15_000),
      maxRedirects: z.coerce.number().int().min(0).max(10).default(3),
      /** CIDRs, IPs or host names that the URL guard lets through (for example an internal image CDN). */
      allowList: allowListSchema,
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      /** Keep retrying a failed delivery this long after the request finished. */
      retryFor: duration.default(24 * 3_600_000),
      /** Per attempt, connection to last byte. */
      timeout: duration.default(10_000),
      /** CIDRs, IPs or host names webhooks may reach despite the private-address guard. */
      allowList: allowListSchema,
      pollInterval: duration.default(1_000),
    })
    .prefault({}),
  /** A QUEUED request no worker took within this time FAILS with code "timeout" (and a refund). */
  queueTimeout: duration.default(24 * 3_600_000),
  worker: z
    .strictObject({
      enabled: flag.default(true),
      concurrency: z.coerce.number().int().min(1).max(256).optional(),
      lease: duration.default(30_000),
      heartbeat: duration.default(10_000),
      maxAttempts: z.coerce.number().int().min(1).max(100).default(3),
      pollInterval: duration.default(1_000),
      shutdownGrace: duration.default(30_000),
    })
    .prefault({}),
  /** Credits granted to the admin account on first start, so the quick start can generate at once. */
  bootstrapCredits: credits.default(1_000_000),
  limits: z
    .strictObject({
      /** Submits per minute per API key (accounts may override). */
      submitPerMinute: z.coerce.number().int().min(1).default(60),
      /** Status/result reads per minute per API key: high, so a client polling every second never trips it. */
      pollPerMinute: z.coerce.number().int().min(1).default(1200),
      /** Unfinished (QUEUED + PROCESSING) requests per account (accounts may override). */
      maxInflight: z.coerce.number().int().min(1).default(20),
      /** Length of the rate-limit window; the per-minute limits count hits per window. Shorter only in tests. */
      window: duration.default(60_000),
    })
    .prefault({}),
  /** PostgreSQL instead of the embedded SQLite file: many api and worker processes share it. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** PostgreSQL schema for Reelay's tables (created if missing). */
  databaseSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase identifier')
    .default('public'),
  /** S3-compatible bucket for inputs and outputs instead of the data dir (required with several machines). */
  s3: z
    .strictObject({
      bucket: z.string().min(3),
      endpoint: z.string().url().optional(),
      region: z.string().default('us-east-1'),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      forcePathStyle: flag.default(false),
      prefix: z.string().optional(),
    })
    .optional(),
  /** How output URLs are made: Reelay's signed file route (streams from the blob store) or S3 presigned URLs. */
  outputUrls: z.enum(['signed', 'presigned']).default('signed'),
  ...engineSections,
  ffmpegPath: z.string().optional(),
  /**
   * The other front doors' model names and the Reelay model each one runs (README "Using OpenAI's
   * SDK", "Using Google's Gen AI SDK"). OpenAI names not listed run `defaultModel`.
   */
  doors: z
    .strictObject({
      openai: z
        .strictObject({ models: z.record(z.string(), z.string()).default({}), defaultModel: z.string().min(1).default('veo-2-image2video') })
        .prefault({}),
      gemini: z.strictObject({ models: z.record(z.string(), z.string()).default({ 'veo-2.0-generate-001': 'veo-2-image2video' }) }).prefault({}),
    })
    .prefault({}),
  models: z
    .record(z.string(), modelSchema)
    .default({ 'veo-2-image2video': { engine: DEFAULT_ENGINE.name as EngineName, timeout: 600_000, price: { perSecond: 10, perRequest: 0 } } }),
});

export type Config = z.infer<typeof configSchema>;

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}
