// GET /s.js: the built snippet, served precompressed, cacheable for a few minutes and open to every origin.
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sendError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import { precompressedFiles } from '../precompressed.ts';

/**
 * `/s.js` and, beside it, what it imports on demand (snippet/ARCHITECTURE.md): the tools bundle `/s-tools.js`
 * and the confirmation chunk `/s-confirm.js`.
 */
export function snippetPlugin(snippetFile: string = join(packageRoot, 'dist/s.js')): FastifyPluginAsync {
  const served = (url: string, file: string) => ({
    url,
    file,
    contentType: 'application/javascript; charset=utf-8',
    headers: (reply: FastifyReply) => reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*'),
    missing: (reply: FastifyReply) => sendError(reply, 'NOT_FOUND', 'The snippet is not built: run `npm run build`.'),
  });
  const beside = (name: string) => served('/' + name, join(dirname(snippetFile), name));
  return precompressedFiles([served('/s.js', snippetFile), beside('s-tools.js'), beside('s-confirm.js')]);
}
