// Serves the admin web app (README "Admin UI") under /admin/: the page for every client route, and the
// built bundle from dist/admin. A strict Content-Security-Policy means that even if a visitor's
// text ever reached the page as markup, the browser would run no script and apply no inline style.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError } from '../errors.ts';
import { precompressedFiles } from '../precompressed.ts';

export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface AdminUiOptions {
  /** Where build.mjs writes app.js and app.css (default: <repo>/dist/admin). */
  distDir?: string;
  /** Where index.html lives (default: <repo>/collector/admin-ui). */
  pageDir?: string;
}

const ASSETS = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', ADMIN_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    // Rebuilt in place: the browser asks again each time, and an unchanged file is a 304 (its ETag).
    .header('cache-control', 'no-cache');
}

export async function adminUiRoutes(app: FastifyInstance, opts: AdminUiOptions = {}): Promise<void> {
  const distDir = opts.distDir ?? join(packageRoot, 'dist/admin');
  const pageDir = opts.pageDir ?? join(packageRoot, 'collector/admin-ui');

  const sendPage = async (reply: FastifyReply) => {
    const html = await readFile(`${pageDir}/index.html`);
    return secure(reply).type('text/html; charset=utf-8').send(html);
  };

  app.get('/admin', async (_req, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/', async (_req, reply) => sendPage(reply));

  // The bundle, precompressed by build.mjs (brotli or gzip by Accept-Encoding, an ETag per encoding).
  await app.register(
    precompressedFiles(
      Object.entries(ASSETS).map(([file, type]) => ({
        url: `/admin/${file}`,
        file: `${distDir}/${file}`,
        contentType: type,
        headers: secure,
        missing: (reply: FastifyReply) => sendError(secure(reply), 'ADMIN_UI_NOT_BUILT', `dist/admin/${file} is missing: run "npm run build" first.`),
      })),
    ),
  );

  // Client routes (/admin/p/…/leads/…) get the page; the app reads the path itself. A path that
  // looks like a file is a real 404, so a typo in an asset name does not come back as HTML.
  app.get('/admin/*', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (last.includes('.')) {
      return sendError(secure(reply), 'NOT_FOUND', `No admin file ${path}.`);
    }
    return sendPage(reply);
  });
}
