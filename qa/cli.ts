// The `leadrelay` command (README "QA kit"): `leadrelay check <page-url> [--expect <form id or title>]…
// [--submit] [--json]`, configured by LEADRELAY_URL, LEADRELAY_TOKEN, LEADRELAY_PROJECT and CHROMIUM_PATH.
// Exit codes: 0 the page's forms are caught, 1 a form check failed, 2 the check could not run.
import { parseArgs } from 'node:util';
import { CannotRunError } from './admin-client.ts';
import { type CheckReport, runCheck } from './check.ts';

export const EXIT = { ok: 0, failed: 1, cannotRun: 2 } as const;

const USAGE = `Usage: leadrelay check <page-url> [--expect <form id or title>]... [--submit] [--json] [--timeout <seconds>]

Opens the page in test mode in Chromium and reports, for each enabled form of the project that applies
to the page, the elements its selector matches and each field found or missing. With --submit, fills
each matched form with test data, sends it, and checks that the test lead arrived.

Environment: LEADRELAY_URL (the collector, e.g. http://127.0.0.1:8787), LEADRELAY_TOKEN (the admin
token), LEADRELAY_PROJECT (the project id), CHROMIUM_PATH (default /usr/bin/chromium).
Exit codes: 0 caught, 1 a form check failed, 2 the check could not run.`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return EXIT.cannotRun;
  }
  if (parsed.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const missing = ['LEADRELAY_URL', 'LEADRELAY_TOKEN', 'LEADRELAY_PROJECT'].filter((name) => !io.env[name]?.trim());
  if (missing.length) {
    io.err(`Set ${missing.join(', ')} (see \`leadrelay --help\`).`);
    return EXIT.cannotRun;
  }
  try {
    const report = await runCheck({
      pageUrl: parsed.pageUrl,
      expect: parsed.expect,
      submit: parsed.submit,
      target: { url: io.env.LEADRELAY_URL!.trim(), token: io.env.LEADRELAY_TOKEN!.trim(), project: io.env.LEADRELAY_PROJECT!.trim() },
      chromiumPath: io.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium',
      timeoutMs: parsed.timeoutMs,
    });
    io.out(parsed.json ? JSON.stringify(toJson(report), null, 2) : table(report));
    return report.ok ? EXIT.ok : EXIT.failed;
  } catch (err) {
    if (err instanceof CannotRunError) {
      io.err(parsed.json ? JSON.stringify({ error: err.message }) : `Cannot check: ${err.message}`);
      return EXIT.cannotRun;
    }
    throw err;
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      expect: { type: 'string', multiple: true },
      submit: { type: 'boolean' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true, pageUrl: '', expect: [], submit: false, json: false, timeoutMs: 0 };
  const [command, pageUrl, ...rest] = positionals;
  if (command !== 'check') throw new Error(command ? `Unknown command "${command}".` : 'Missing the command.');
  if (!pageUrl) throw new Error('Missing the page URL.');
  if (rest.length) throw new Error(`Unexpected arguments: ${rest.join(' ')}`);
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    throw new Error(`"${pageUrl}" is not a URL (e.g. https://example.com/contacts).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${pageUrl}" is not an http(s) URL.`);
  const seconds = values.timeout === undefined ? 15 : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`--timeout takes seconds between 1 and 600, not "${values.timeout}".`);
  return { help: false, pageUrl: url.toString(), expect: values.expect ?? [], submit: !!values.submit, json: !!values.json, timeoutMs: seconds * 1000 };
}

/** The JSON of `--json`: `{forms:[{id, title, matched, missingFields, lead?}]}` plus the verdict. */
function toJson(report: CheckReport) {
  return {
    ok: report.ok,
    page: report.page,
    project: report.project,
    forms: report.forms.map((f) => ({
      id: f.id,
      title: f.title,
      matched: f.matched,
      missingFields: f.missingFields,
      ...(f.lead !== undefined ? { lead: f.lead } : {}),
      problems: f.problems,
    })),
    problems: report.problems,
  };
}

function table(report: CheckReport): string {
  const rows = report.forms.map((f) => [
    f.problems.length ? 'FAIL' : f.matched ? 'ok' : '-',
    f.title || f.id,
    String(f.matched),
    f.missingFields.join(', ') || '-',
    f.lead === undefined ? '' : f.lead ? `${f.lead.id} (${f.lead.status})` : 'none',
  ]);
  const head = ['', 'form', 'matched', 'missing fields', ...(report.forms.some((f) => f.lead !== undefined) ? ['test lead'] : [])];
  const all = [head, ...rows.map((r) => r.slice(0, head.length))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const lines = all.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd());
  const problems = [...report.problems, ...report.forms.flatMap((f) => f.problems.map((p) => `${f.title || f.id}: ${p}`))];
  return [
    `leadrelay check ${report.page} (project ${report.project})`,
    ...(report.forms.length ? lines : ['No form of the project applies to this page.']),
    '',
    ...(problems.length ? problems.map((p) => `✗ ${p}`) : ['✓ the forms on this page are caught']),
  ].join('\n');
}
