import { createLogger } from '@il/http-kit';
import { loadConfig, type Config } from './config.js';
import type { RunningService } from './startService.js';

/** The body of every `main.ts`: start, print why if it cannot, stop cleanly on SIGINT/SIGTERM. */
export function runMain(start: (config: Config) => Promise<RunningService>): void {
  const go = async () => {
    const config = loadConfig();
    const log = createLogger('main', config.LOG_LEVEL);
    const service = await start(config);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log({ msg: 'shutting down', signal });
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      service.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          log({ level: 'error', msg: 'shutdown failed', error: String(e) });
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  };
  go().catch((e: unknown) => {
    process.stderr.write(`indicator-ledger failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    if (e instanceof Error && e.cause)
      process.stderr.write(`  cause: ${String((e.cause as Error).message ?? e.cause)}\n`);
    process.exit(1);
  });
}
