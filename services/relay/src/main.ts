// The relay process: publishes every committed event to Kafka (or files), one topic per programme, at least once.
// Its HTTP port serves /healthz, /readyz (with the relay's checkpoint and lag) and /metrics.
import { loadRelayConfig } from '@il/relay';
import { runMain, startService } from '@il/runtime';
import { relayParts } from './relayParts.js';

runMain((config) => {
  const relayConfig = loadRelayConfig();
  return startService('relay', config, (ctx) => relayParts(ctx, relayConfig));
});
