import { runMain } from '@il/runtime';
import { loadSocQuality } from './demo/loadSocQuality.js';
import { startSystem } from './startSystem.js';

const demo = process.argv.includes('--demo');

runMain(async (config) => {
  const system = await startSystem(config);
  if (demo) {
    const loaded = await loadSocQuality(system.url);
    process.stdout.write(`${JSON.stringify({ msg: 'SocQuality demo loaded', outputs: loaded.outputEventIds.length, try: `${system.url}/v1/projects/LLI-317` })}\n`);
  }
  return system;
});
