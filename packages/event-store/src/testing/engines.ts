/**
 * Where an external engine's contract suite connects, or why it is skipped. KurrentDB, Kafka and MongoDB cannot run
 * on every machine (no Docker in CI); their suites run when the variable is set, e.g. against infra/compose.yaml
 * with `npm run test:engines`, and otherwise report every test as skipped with this reason.
 */
export function engineUrl(variable: 'KURRENTDB_URL' | 'MONGODB_URL' | 'KAFKA_BROKERS'): {
  url?: string;
  skipReason?: string;
} {
  const url = process.env[variable];
  if (url) return { url };
  const how =
    variable === 'KAFKA_BROKERS'
      ? 'node scripts/kafka/broker.mjs start (Java and Maven), which .ci/run does where it can, or infra/compose.yaml'
      : 'start infra/compose.yaml and run npm run test:engines';
  return { skipReason: `${variable} is not set; ${how}` };
}
