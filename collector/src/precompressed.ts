// Serving a built file (the snippet, the admin UI bundle) compressed, without compressing per
// request: build.mjs writes `<file>.br` and `<file>.gz` beside each output, and @fastify/static
// (`preCompressed`) picks one from Accept-Encoding, with `Vary: Accept-Encoding`, an ETag per
// encoding (each is its own file) and 304 on If-None-Match. Without the siblings (an older build)
// the plain file is served.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface PrecompressedFile {
  /** The route, e.g. `/s.js`. */
  url: string;
  /** The built file on disk. */
  file: string;
  contentType: string;
  /** Headers every answer carries (cache policy, CORS, CSP…). */
  headers: (reply: FastifyReply) => FastifyReply;
  /** The answer when the file is not built. */
  missing: (reply: FastifyReply) => FastifyReply;
}

/** Adds GET routes serving these files (a plugin of its own, so several may be registered). */
export function precompressedFiles(files: PrecompressedFile[]) {
  return async (app: FastifyInstance) => {
    await app.register(fastifyStatic, {
      // Each route names its own directory; the root only has to exist.
      root: resolve('/'),
      serve: false,
      preCompressed: true,
      // Our routes set the cache policy themselves.
      cacheControl: false,
    });
    for (const f of files) {
      app.get(
        f.url,
        {
          schema: { hide: true },
          // The static plugin sets a type from the file name; ours wins, whichever encoding was sent.
          onSend: async (_req, reply) => {
            if (reply.statusCode < 400) reply.header('content-type', f.contentType);
          },
        },
        async (_req, reply) => {
          if (!existsSync(f.file)) return f.missing(reply);
          f.headers(reply);
          return reply.sendFile(basename(f.file), dirname(f.file));
        },
      );
    }
  };
}
