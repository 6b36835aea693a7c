// The relay process: publishes every committed event to Kafka (or files), one topic per programme, at least once.
// Its HTTP port serves /healthz, /readyz (with the relay's checkpoint and lag) and /metrics.
import { loadRelayConfig } from '@il/relay';
import { runMain, startService } from '@il/runtime';
import { relayParts } from './relayParts.js';

runMain((config) => {
  const relayConfig = loadRelayConfig();
  const log = (entry: Record<string, unknown>) => {
    if (config.LOG_LEVEL !== 'silent') process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'relay', ...entry })}\n`);
  };
  return startService('relay', config, (ctx) => relayParts(ctx, relayConfig, log));
});
