import { createRequire } from 'node:module';
import express, { type Express } from 'express';
import { z } from 'zod';
import type { RouteDoc } from './openapi.js';
import { productVersion as version } from './version.js';

const require = createRequire(import.meta.url);
// swagger-ui-dist ships the browsable docs as static files: served from here, nothing is fetched from a CDN.
const swaggerUiDir = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

/** The landing and documentation pages, outside /v1: they need no token. */
export const docsRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/',
    summary: 'Landing: name, version and links (JSON, or HTML for browsers)',
    tag: 'docs',
    html: true,
    response: z.strictObject({
      name: z.string(),
      service: z.string(),
      version: z.string(),
      links: z.strictObject({
        docs: z.string(),
        openapi: z.string(),
        health: z.string(),
        readiness: z.string(),
        metrics: z.string(),
        demoProject: z.string(),
      }),
    }),
  },
  { method: 'get', path: '/docs', summary: 'Browsable API documentation (Swagger UI, served locally)', tag: 'docs' },
];

const links = {
  docs: '/docs',
  openapi: '/openapi.json',
  health: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
  demoProject: '/v1/projects/LLI-317/indicators',
};

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Indicator Ledger API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// A file of its own rather than an inline script, so a Content-Security-Policy without 'unsafe-inline' allows it.
const docsInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true });\n`;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function landingHtml(service: string): string {
  const items = Object.entries(links)
    .map(([name, href]) => `<li><a href="${escape(href)}">${escape(name)}</a> <code>${escape(href)}</code></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Indicator Ledger</title></head>
<body>
<h1>Indicator Ledger</h1>
<p>Outputs and results of Interreg cross-border projects, as events and indicator views. Service
<code>${escape(service)}</code>, version ${escape(version)}.</p>
<ul>
${items}
</ul>
<p>Every <code>/v1</code> route needs <code>Authorization: Bearer &lt;JWT&gt;</code>; the demo project exists after
<code>npm run demo</code>.</p>
</body>
</html>
`;
}

/** Mounts `GET /` (JSON for API clients, HTML for browsers) and `GET /docs` with its assets. */
export function mountDocs(app: Express, service: string): void {
  app.get('/', (_req, res) => {
    res.format({
      'application/json': () => res.json({ name: 'Indicator Ledger', service, version, links }),
      'text/html': () => res.type('html').send(landingHtml(service)),
      default: () => res.json({ name: 'Indicator Ledger', service, version, links }),
    });
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(docsInit);
  });
  app.use('/docs/assets', express.static(swaggerUiDir, { index: false, immutable: true, maxAge: '1d' }));
}
