import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');
const broker = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const relayConfigSchema = z
  .object({
    /** Where the relay publishes: Kafka, or JSON-lines files (no broker). */
    RELAY_SINK: z.enum(['kafka', 'file']).default('kafka'),
    RELAY_FILE_DIR: z.string().min(1).default('./.data/relay'),
    /** Checkpoint key: relays with different names publish the whole log independently. */
    RELAY_NAME: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/)
      .default('kafka'),
    RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    /** `host:port` list, comma-separated. */
    KAFKA_BROKERS: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(broker, { message: 'each broker must be host:port' })).min(1))
      .optional(),
    KAFKA_CLIENT_ID: z.string().min(1).default('indicator-ledger-relay'),
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .default('indicator-ledger'),
    /** Create each programme's topic when first needed (off when topics are managed by the platform team). */
    KAFKA_CREATE_TOPICS: flag,
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
    /** -1: the broker's default. */
    KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).max(10).default(-1),
    KAFKA_SSL: flag,
    /** PEM file of the CA that signed the brokers' certificates (else the system's CAs). */
    KAFKA_SSL_CA_FILE: z.string().optional(),
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.RELAY_SINK === 'kafka' && !c.KAFKA_BROKERS)
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'is required when RELAY_SINK=kafka' });
    if (c.KAFKA_SASL_MECHANISM && (!c.KAFKA_SASL_USERNAME || !c.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_USERNAME'],
        message: 'and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM',
      });
    }
  });

export type RelayConfig = z.output<typeof relayConfigSchema>;

export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = relayConfigSchema.safeParse(set);
  if (!r.success)
    throw new Error(
      `invalid relay configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return r.data;
}

/** The kafkajs client settings; kafkajs's own retries are short, the relay's loop retries beyond them. */
export function kafkaClientConfig(
  c: RelayConfig,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): KafkaConfig {
  const ssl = c.KAFKA_SSL ? (c.KAFKA_SSL_CA_FILE ? { ca: [readFile(c.KAFKA_SSL_CA_FILE)] } : true) : false;
  const sasl = c.KAFKA_SASL_MECHANISM
    ? { mechanism: c.KAFKA_SASL_MECHANISM, username: c.KAFKA_SASL_USERNAME!, password: c.KAFKA_SASL_PASSWORD! }
    : undefined;
  return {
    clientId: c.KAFKA_CLIENT_ID,
    brokers: c.KAFKA_BROKERS ?? [],
    ssl,
    ...(sasl ? { sasl: sasl as KafkaConfig['sasl'] } : {}),
    connectionTimeout: 3000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 5000 },
  };
}
