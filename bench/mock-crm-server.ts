// The strict webhook mock CRM (fixtures/crm/webhook-mock.ts) with no delay, in its own child
// process so it does not share the worker's event loop. It keeps checking signatures and
// Idempotency-Keys; the bodies it keeps are dropped every second so a 100,000-lead drain fits in memory.
import { startWebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { WEBHOOK_SECRET } from './fixture.ts';

const mock = await startWebhookMock({ secret: WEBHOOK_SECRET });
let received = 0;
let rejected = 0;
setInterval(() => {
  received += mock.receipts.length;
  rejected += mock.rejected.length;
  mock.receipts.length = 0;
  mock.rejected.length = 0;
}, 1000).unref();
process.stdout.write(`READY ${JSON.stringify({ url: mock.url })}\n`);
process.on('SIGTERM', () => {
  process.stderr.write(`mock CRM: ${received + mock.receipts.length} requests accepted, ${rejected + mock.rejected.length} rejected\n`);
  void mock.close().then(() => process.exit(0));
});
