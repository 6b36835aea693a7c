export type Log = (entry: Record<string, unknown>) => void;

/** Structured JSON lines on stdout; silent when LOG_LEVEL=silent (tests). */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Log {
  if (level === 'silent') return () => undefined;
  return (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service, level: 'info', ...entry })}\n`);
}
