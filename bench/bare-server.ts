// The baseline: a bare Fastify route with no body work and no storage, run exactly as the
// collector is (a child process, the same logger level), so a ratio shows what leadrelay's own
// work costs on top of Fastify and the socket.
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

const app = Fastify({ logger: false, http: { maxHeaderSize: 80 * 1024 } });
// The site API's lead body arrives as text/plain; the baseline takes it as a string, unparsed.
app.get('/bare', async () => ({ status: 'success' }));
app.post('/bare', async (_req, reply) => reply.code(202).send({ status: 'success' }));

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
