/**
 * The baseline: a minimal Express app that answers each benchmarked request with the byte-identical body
 * (and status and Content-Type) the real service gave once. Run as its own process, like the service:
 *   node dist/bench/bare-server.js <routes.json> <port>
 * routes.json: { "<METHOD> <url>": { "status": 200, "contentType": "...", "etag": "...", "body": "<base64>" } }
 * A request with If-None-Match gets the captured ETag, so Express's own freshness check answers 304
 * (the baseline of the service's 304 row); other requests get Express's defaults, as before.
 * Prints "listening <port>" on stdout when ready.
 */
import { readFileSync } from 'node:fs';
import express from 'express';

interface Route {
  status: number;
  contentType: string;
  etag?: string;
  body: string;
}

const [file, portArg] = process.argv.slice(2);
if (!file) throw new Error('usage: bare-server <routes.json> [port]');
const routes = new Map<string, { status: number; contentType: string; etag?: string; body: Buffer }>();
for (const [key, r] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Route>)) {
  routes.set(key, { status: r.status, contentType: r.contentType, etag: r.etag, body: Buffer.from(r.body, 'base64') });
}

const app = express();
app.disable('x-powered-by');
const reply: express.RequestHandler = (req, res) => {
  const route = routes.get(`${req.method} ${req.originalUrl}`);
  if (!route) {
    res.status(404).end();
    return;
  }
  if (route.etag && req.headers['if-none-match']) res.set('ETag', route.etag);
  res.status(route.status).set('Content-Type', route.contentType).send(route.body);
};
app.get('/api/v1/tasks', reply);
app.get('/api/v1/tasks/search', reply);
app.get('/api/v1/tasks/:id', reply);
app.post('/api/v1/tasks', express.json(), reply);

const server = app.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : portArg}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
