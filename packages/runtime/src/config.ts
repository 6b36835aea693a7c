import { z } from 'zod';

const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(['debug', 'info', 'silent']).default('info'),
    /** Largest accepted JSON body; larger requests get 413 and store nothing. */
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/)
      .default('256kb'),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    /** How many days ahead of today (programme time zone) an output may be dated, for clock skew. */
    FUTURE_TOLERANCE_DAYS: z.coerce.number().int().min(0).max(30).default(1),
    NODE_ENV: z.string().default('development'),
    /** HS256 secret for bearer tokens; without it (and without a JWKS file) a development secret is used. */
    JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    /** JWKS file with the public keys of RS256 tokens (an identity provider's keys). */
    JWT_JWKS_FILE: z.string().optional(),
    JWT_AUDIENCE: z.string().default('indicator-ledger'),
    JWT_ISSUER: z.string().optional(),
    /** Longest lifetime a token may have (exp after iat, and exp after now), as `24h`, `90m` or seconds. */
    JWT_MAX_LIFETIME: z
      .string()
      .regex(/^\d+(s|m|h|d)?$/, { message: 'must be a duration such as 24h, 90m or 3600' })
      .default('24h')
      .transform((v) => Number(/^\d+/.exec(v)![0]) * ({ s: 1, m: 60, h: 3600, d: 86_400 }[v.at(-1) as 's'] ?? 1)),
    /**
     * Browser origins allowed to call the API, comma-separated (`https://grafana.example.org`); none by default.
     * Each must be an origin: scheme, host and optional port, nothing after.
     */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, { message: 'must be origins such as https://example.org' })),
      ),
    /** Writes per minute per token; 0 turns the limit off. */
    WRITES_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    /** Serve /healthz, /readyz and /metrics on this port instead of the API port. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Where events are stored: PostgreSQL (DATABASE_URL or embedded) or KurrentDB (KURRENTDB_URL). */
    EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
    KURRENTDB_URL: z
      .string()
      .regex(/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/./, {
        message: 'must be a kurrentdb:// (or esdb://) connection string',
      })
      .optional(),
    /** Prefix of this system's streams on a shared KurrentDB server (and the only streams it reads back). */
    KURRENTDB_STREAM_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,39}$/)
      .optional(),
    /** Where the indicator views live: PostgreSQL (same database as the events by default) or MongoDB (MONGODB_URL). */
    READ_MODELS: z.enum(['postgres', 'mongodb']).default('postgres'),
    MONGODB_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/./, { message: 'must be a mongodb:// or mongodb+srv:// connection string' })
      .optional(),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default('indicator_ledger'),
  })
  .superRefine((c, ctx) => {
    // An engine selected without its address is a configuration error at start-up, not a failure on first use.
    if (c.EVENT_STORE === 'kurrentdb' && !c.KURRENTDB_URL)
      ctx.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'is required when EVENT_STORE=kurrentdb' });
    if (c.READ_MODELS === 'mongodb' && !c.MONGODB_URL)
      ctx.addIssue({ code: 'custom', path: ['MONGODB_URL'], message: 'is required when READ_MODELS=mongodb' });
  });

export type Config = z.output<typeof configSchema>;

/** Parsed once at start-up; a bad value stops the process with a readable list of what is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (`DATABASE_URL= npm start` picks the embedded default).
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = configSchema.safeParse(set);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  return r.data;
}
