// One lead: what the visitor sent, where they came from, its comments and every delivery attempt.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FieldValue } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { canResend, formatTime, isInFlight } from '../lib/status.ts';
import { StatusBadge } from '../status-badge.tsx';
import { ErrorMessage, Link, Loading, Notice, usePolling, useLoad } from '../ui.tsx';

const SOURCE_NAMES = { form: 'Site form', js: 'leadrelay.reach() on the page', proxy: 'Server API (proxy)' } as const;

export function LeadPage({ projectId, leadId }: { projectId: string; leadId: string }) {
  const [lead, reload] = useLoad(() => adminApi.getLead(projectId, leadId), `${projectId}/${leadId}`);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [watching, setWatching] = useState(false);

  // While the worker may still change it (or right after "Resend"), look again every second.
  const inFlight = lead.state === 'ready' && isInFlight(lead.data.status);
  usePolling(() => void reload(), 1000, inFlight || watching);

  const resend = async () => {
    setActionError(null);
    try {
      await adminApi.resendLead(projectId, leadId);
      setNotice('Queued to be sent again. This page updates by itself.');
      setWatching(true);
      setTimeout(() => setWatching(false), 30_000);
      await reload();
    } catch (err) {
      setActionError(err);
    }
  };

  if (lead.state === 'loading') return <Loading />;
  if (lead.state === 'error') return <ErrorMessage error={lead.error} />;
  const l = lead.data;
  const dropped = (l.attempts ?? []).flatMap((a) => a.droppedFields ?? []);

  return (
    <section>
      <p>
        <Link href={paths.section(projectId, 'leads')}>← Back to the list</Link>
      </p>
      <div class="page-head">
        <h1>{l.title || 'Lead'}</h1>
        {canResend(l.status) && can('marketer') && (
          <button type="button" class="primary" onClick={resend}>
            Resend
          </button>
        )}
      </div>
      <ErrorMessage error={actionError} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}

      <div class="card">
        <h2>Delivery</h2>
        <StatusBadge lead={l} projectId={projectId} />
        <dl class="props">
          <Prop name="CRM deal id">{l.crmId}</Prop>
          <Prop name="Attempts">{String(l.attemptCount)}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>What the client sent</h2>
        <dl class="props">
          <Prop name="Name">{l.name}</Prop>
          <Prop name="Phone">{l.phone}</Prop>
          <Prop name="Email">{l.email}</Prop>
          <Prop name="Comment">{l.comment}</Prop>
          <Prop name="Call back">{l.callback ? 'Yes' : 'No'}</Prop>
          <Prop name="Received">{formatTime(l.createdAt)}</Prop>
          <Prop name="Lead id">
            <code>{l.id}</code>
          </Prop>
          <Prop name="Made by">{SOURCE_NAMES[l.source] ?? l.source}</Prop>
          <Prop name="How created">{l.orderCreationMethod}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>Extra fields</h2>
        <ValuesTable values={l.fields} empty="No extra fields." />
        {Object.keys(l.clientFields ?? {}).length > 0 && (
          <>
            <h3>Contact fields</h3>
            <ValuesTable values={l.clientFields} empty="" />
          </>
        )}
      </div>

      <div class="card">
        <h2>Where the visitor came from</h2>
        <dl class="props">
          <Prop name="Page">{l.page}</Prop>
          <Prop name="Landing page">{l.landingPage}</Prop>
          <Prop name="Referrer">{l.referrer}</Prop>
          <Prop name="Visit">{l.visit === null ? '' : String(l.visit)}</Prop>
          <Prop name="utm_source">{l.utm?.source}</Prop>
          <Prop name="utm_medium">{l.utm?.medium}</Prop>
          <Prop name="utm_campaign">{l.utm?.campaign}</Prop>
          <Prop name="utm_term">{l.utm?.term}</Prop>
          <Prop name="utm_content">{l.utm?.content}</Prop>
          <Prop name="IP address">{l.ip}</Prop>
          <Prop name="Browser">{l.userAgent}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>Comments</h2>
        {(l.comments ?? []).length === 0 ? (
          <p class="muted">No comments.</p>
        ) : (
          <ul class="comments">
            {l.comments.map((c, i) => (
              <li key={i}>
                <div class="muted">
                  {formatTime(c.at)} {c.title && <strong>{c.title}</strong>}
                </div>
                <div class="pre">{c.message}</div>
              </li>
            ))}
          </ul>
        )}
      </div>

      {dropped.length > 0 && (
        <div class="card">
          <h2>Fields the CRM refused</h2>
          <p class="muted">The lead was delivered without these fields, and their values were added to the deal as a note. Fix the form's CRM field keys so that the next leads carry them.</p>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                  <th scope="col">Why the CRM refused it</th>
                </tr>
              </thead>
              <tbody>
                {dropped.map((d, i) => (
                  <tr key={i}>
                    <td class="nowrap">{d.key}</td>
                    <td class="wrap">{d.value}</td>
                    <td class="wrap">{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      <div class="card">
        <h2>Delivery attempts</h2>
        {(l.attempts ?? []).length === 0 ? (
          <p class="muted">No attempt yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Result</th>
                  <th scope="col">HTTP status</th>
                  <th scope="col">Error</th>
                  <th scope="col">Took</th>
                </tr>
              </thead>
              <tbody>
                {l.attempts.map((a, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td class="nowrap">{formatTime(a.at)}</td>
                    <td>{ATTEMPT_KIND[a.kind] ?? a.kind}</td>
                    <td>{a.ok ? <span class="status-ok">✓ OK</span> : <span class="status-bad">✗ Failed</span>}</td>
                    <td>{a.httpStatus ?? '—'}</td>
                    <td class="wrap">{a.error ?? ''}</td>
                    <td class="nowrap">{a.durationMs} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

/** What an attempt sent: the lead itself, a comment, or the call-back request. */
const ATTEMPT_KIND: Record<string, string> = { create: 'Lead', note: 'Comment', callback: 'Call back' };

function Prop({ name, children }: { name: string; children: ComponentChildren }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{name}</dt>
      <dd class="pre">{empty ? <span class="muted">—</span> : children}</dd>
    </>
  );
}

function ValuesTable({ values, empty }: { values: Record<string, FieldValue> | undefined; empty: string }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return empty ? <p class="muted">{empty}</p> : null;
  return (
    <dl class="props">
      {entries.map(([k, v]) => (
        <Prop key={k} name={k}>
          {Array.isArray(v) ? v.join(', ') : v}
        </Prop>
      ))}
    </dl>
  );
}
