// The logs never print the admin token, the session cookie (sent or set) or an integration's settings.
import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, test } from 'vitest';
import { LOG_REDACT } from '../src/log-redact.ts';

test('a logged request, answer and integration keep their secrets out of the log line', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ redact: LOG_REDACT }, sink);
  log.warn({
    req: { method: 'POST', url: '/api/v1/session', headers: { authorization: 'Bearer tok-123', cookie: 'leadrelay_session=sess-456', 'user-agent': 'ua' } },
    res: { statusCode: 200, headers: { 'set-cookie': 'leadrelay_session=sess-789; HttpOnly' } },
    settings: { token: 'crm-secret' },
  });
  const line = lines.join('');
  for (const secret of ['tok-123', 'sess-456', 'sess-789', 'crm-secret']) expect(line).not.toContain(secret);
  expect(line).toContain('"user-agent":"ua"');
  expect(line.match(/\[Redacted\]/g)).toHaveLength(4);
});
