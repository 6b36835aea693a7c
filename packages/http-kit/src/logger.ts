export type Log = (entry: Record<string, unknown>) => void;

const severity: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Structured JSON lines on stdout, each with time, service and level (`info` unless the entry says otherwise).
 * LOG_LEVEL=info leaves out `debug` lines (health probes and scrapes), `debug` shows them, `silent` nothing (tests).
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Log {
  if (level === 'silent') return () => undefined;
  const least = severity[level] ?? severity['info']!;
  return (entry) => {
    const line = { time: new Date().toISOString(), service, level: 'info', ...entry };
    if ((severity[String(line.level)] ?? severity['info']!) >= least) process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}
