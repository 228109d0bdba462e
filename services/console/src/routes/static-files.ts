import { SluiceError } from '@sluice/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json',
};

// Scripts and styles from this origin only; the page talks to this origin only; no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function load(path: string): Promise<StaticFile> {
  const body = await readFile(path);
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
}

/**
 * The console's static files: public/ under /console/, and the chart library straight from its
 * npm package under /console/vendor/ (no build step). Files are read once at startup into a
 * fixed table, so no request path ever reaches the filesystem.
 */
export async function staticFileRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map<string, StaticFile>();
  for (const path of await listFiles(PUBLIC_DIR)) {
    files.set(relative(PUBLIC_DIR, path).split(sep).join('/'), await load(path));
  }
  const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));
  files.set('vendor/uPlot.esm.js', await load(join(uplotDir, 'uPlot.esm.js')));
  files.set('vendor/uPlot.min.css', await load(join(uplotDir, 'uPlot.min.css')));
  const index = files.get('index.html');
  if (!index) throw new Error(`console: ${PUBLIC_DIR}index.html is missing`);

  const handler = async (file: StaticFile | undefined, ifNoneMatch: string | undefined, reply: FastifyReply) => {
    if (!file) throw new SluiceError('SLUICE_ERR_NOT_FOUND');
    void reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer').header('cache-control', 'no-cache').header('etag', file.etag);
    if (ifNoneMatch === file.etag) return reply.status(304).send();
    return reply.type(file.type).send(file.body);
  };
  app.get('/console', { schema: { hide: true } }, (request, reply) => handler(index, request.headers['if-none-match'], reply));
  app.get<{ Params: { '*': string } }>('/console/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.params['*'];
    return handler(path === '' ? index : files.get(path), request.headers['if-none-match'], reply);
  });
}
