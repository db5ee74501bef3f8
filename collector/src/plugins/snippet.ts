// GET /s.js: the built snippet, served precompressed, cacheable for a few minutes and open to every origin.
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { sendError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import { precompressedFiles } from '../precompressed.ts';

export function snippetPlugin(snippetFile: string = join(packageRoot, 'dist/s.js')): FastifyPluginAsync {
  return precompressedFiles([
    {
      url: '/s.js',
      file: snippetFile,
      contentType: 'application/javascript; charset=utf-8',
      headers: (reply) => reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*'),
      missing: (reply) => sendError(reply, 'NOT_FOUND', 'The snippet is not built: run `npm run build`.'),
    },
  ]);
}
