import { createLogger, signToken } from '@il/http-kit';
import { runMain } from '@il/runtime';
import { loadSocQuality } from './demo/loadSocQuality.js';
import { startSystem } from './startSystem.js';

const demo = process.argv.includes('--demo');

runMain(async (config) => {
  const system = await startSystem(config);
  if (demo) {
    const token =
      system.devToken ??
      (config.JWT_SECRET
        ? await signToken(
            config.JWT_SECRET,
            { sub: 'demo-loader', roles: ['admin'] },
            { audience: config.JWT_AUDIENCE, ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}) },
          )
        : undefined);
    if (!token) throw new Error('--demo needs JWT_SECRET (or no JWT configuration at all) to sign its requests');
    const loaded = await loadSocQuality(system.url, { authorization: `Bearer ${token}` }, { reports: true });
    createLogger(
      'demo',
      config.LOG_LEVEL,
    )({
      msg: 'SocQuality demo loaded',
      outputs: loaded.outputEventIds.length,
      try: `${system.url}/v1/projects/LLI-317`,
      reports: `${system.url}/v1/projects/LLI-317/reports`,
    });
  }
  return system;
});
