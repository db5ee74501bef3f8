// One lead: what the visitor sent, where they came from, its comments and every delivery attempt.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FieldValue } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { canResend, formatNumber, formatTime, isInFlight } from '../lib/status.ts';
import { StatusBadge } from '../status-badge.tsx';
import { ErrorMessage, Link, Loading, Notice, usePolling, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    form: 'Site form', js: 'leadrelay.reach() on the page', proxy: 'Server API (proxy)',
    queued: 'Queued to be sent again. This page updates by itself.', back: '← Back to the list', lead: 'Lead', resend: 'Resend',
    delivery: 'Delivery', crmDealId: 'CRM deal id', attempts: 'Attempts', sent: 'What the client sent', name: 'Name', phone: 'Phone', email: 'Email',
    comment: 'Comment', callBack: 'Call back', yes: 'Yes', no: 'No', received: 'Received', leadId: 'Lead id', madeBy: 'Made by', howCreated: 'How created',
    extraFields: 'Extra fields', noExtra: 'No extra fields.', contactFields: 'Contact fields', cameFrom: 'Where the visitor came from', page: 'Page',
    landingPage: 'Landing page', referrer: 'Referrer', visit: 'Visit', ip: 'IP address', browser: 'Browser', comments: 'Comments', noComments: 'No comments.',
    refused: 'Fields the CRM refused',
    refusedHint: "The lead was delivered without these fields, and their values were added to the deal as a note. Fix the form's CRM field keys so that the next leads carry them.",
    field: 'Field', value: 'Value', why: 'Why the CRM refused it', attemptsTitle: 'Delivery attempts', noAttempt: 'No attempt yet.', when: 'When', what: 'What',
    result: 'Result', httpStatus: 'HTTP status', error: 'Error', took: 'Took', ok: '✓ OK', failed: '✗ Failed', ms: '{n} ms',
    kind_create: 'Lead', kind_note: 'Comment', kind_callback: 'Call back',
  },
  ru: {
    form: 'Форма на сайте', js: 'leadrelay.reach() на странице', proxy: 'Серверный API (прокси)',
    queued: 'Поставлена в очередь на повторную отправку. Страница обновится сама.', back: '← К списку', lead: 'Заявка', resend: 'Отправить повторно',
    delivery: 'Доставка', crmDealId: 'ID сделки в CRM', attempts: 'Попытки', sent: 'Что отправил клиент', name: 'Имя', phone: 'Телефон', email: 'Email',
    comment: 'Комментарий', callBack: 'Обратный звонок', yes: 'Да', no: 'Нет', received: 'Получена', leadId: 'ID заявки', madeBy: 'Откуда', howCreated: 'Как создана',
    extraFields: 'Дополнительные поля', noExtra: 'Дополнительных полей нет.', contactFields: 'Поля контакта', cameFrom: 'Откуда пришёл посетитель', page: 'Страница',
    landingPage: 'Страница входа', referrer: 'Источник перехода', visit: 'Визит', ip: 'IP-адрес', browser: 'Браузер', comments: 'Комментарии', noComments: 'Комментариев нет.',
    refused: 'Поля, которые CRM не приняла',
    refusedHint: 'Заявка доставлена без этих полей, а их значения добавлены к сделке примечанием. Исправьте ключи полей CRM в форме, чтобы следующие заявки их передавали.',
    field: 'Поле', value: 'Значение', why: 'Почему CRM не приняла', attemptsTitle: 'Попытки доставки', noAttempt: 'Попыток ещё не было.', when: 'Когда', what: 'Что',
    result: 'Результат', httpStatus: 'HTTP-статус', error: 'Ошибка', took: 'Длилась', ok: '✓ Успешно', failed: '✗ Не удалась', ms: '{n} мс',
    kind_create: 'Заявка', kind_note: 'Комментарий', kind_callback: 'Обратный звонок',
  },
});

function sourceName(source: string): string {
  return source === 'form' || source === 'js' || source === 'proxy' ? t(source) : source;
}

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
      setNotice(t('queued'));
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
        <Link href={paths.section(projectId, 'leads')}>{t('back')}</Link>
      </p>
      <div class="page-head">
        <h1>{l.title || t('lead')}</h1>
        {canResend(l.status) && can('marketer') && (
          <button type="button" class="primary" onClick={resend}>
            {t('resend')}
          </button>
        )}
      </div>
      <ErrorMessage error={actionError} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}

      <div class="card">
        <h2>{t('delivery')}</h2>
        <StatusBadge lead={l} projectId={projectId} />
        <dl class="props">
          <Prop name={t('crmDealId')}>{l.crmId}</Prop>
          <Prop name={t('attempts')}>{String(l.attemptCount)}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>{t('sent')}</h2>
        <dl class="props">
          <Prop name={t('name')}>{l.name}</Prop>
          <Prop name={t('phone')}>{l.phone}</Prop>
          <Prop name={t('email')}>{l.email}</Prop>
          <Prop name={t('comment')}>{l.comment}</Prop>
          <Prop name={t('callBack')}>{l.callback ? t('yes') : t('no')}</Prop>
          <Prop name={t('received')}>{formatTime(l.createdAt)}</Prop>
          <Prop name={t('leadId')}>
            <code>{l.id}</code>
          </Prop>
          <Prop name={t('madeBy')}>{sourceName(l.source)}</Prop>
          <Prop name={t('howCreated')}>{l.orderCreationMethod}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>{t('extraFields')}</h2>
        <ValuesTable values={l.fields} empty={t('noExtra')} />
        {Object.keys(l.clientFields ?? {}).length > 0 && (
          <>
            <h3>{t('contactFields')}</h3>
            <ValuesTable values={l.clientFields} empty="" />
          </>
        )}
      </div>

      <div class="card">
        <h2>{t('cameFrom')}</h2>
        <dl class="props">
          <Prop name={t('page')}>{l.page}</Prop>
          <Prop name={t('landingPage')}>{l.landingPage}</Prop>
          <Prop name={t('referrer')}>{l.referrer}</Prop>
          <Prop name={t('visit')}>{l.visit === null ? '' : String(l.visit)}</Prop>
          <Prop name="utm_source">{l.utm?.source}</Prop>
          <Prop name="utm_medium">{l.utm?.medium}</Prop>
          <Prop name="utm_campaign">{l.utm?.campaign}</Prop>
          <Prop name="utm_term">{l.utm?.term}</Prop>
          <Prop name="utm_content">{l.utm?.content}</Prop>
          <Prop name={t('ip')}>{l.ip}</Prop>
          <Prop name={t('browser')}>{l.userAgent}</Prop>
        </dl>
      </div>

      <div class="card">
        <h2>{t('comments')}</h2>
        {(l.comments ?? []).length === 0 ? (
          <p class="muted">{t('noComments')}</p>
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
          <h2>{t('refused')}</h2>
          <p class="muted">{t('refusedHint')}</p>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('field')}</th>
                  <th scope="col">{t('value')}</th>
                  <th scope="col">{t('why')}</th>
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
        <h2>{t('attemptsTitle')}</h2>
        {(l.attempts ?? []).length === 0 ? (
          <p class="muted">{t('noAttempt')}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('when')}</th>
                  <th scope="col">{t('what')}</th>
                  <th scope="col">{t('result')}</th>
                  <th scope="col">{t('httpStatus')}</th>
                  <th scope="col">{t('error')}</th>
                  <th scope="col">{t('took')}</th>
                </tr>
              </thead>
              <tbody>
                {l.attempts.map((a, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td class="nowrap">{formatTime(a.at)}</td>
                    <td>{attemptKind(a.kind)}</td>
                    <td>{a.ok ? <span class="status-ok">{t('ok')}</span> : <span class="status-bad">{t('failed')}</span>}</td>
                    <td>{a.httpStatus ?? '—'}</td>
                    <td class="wrap">{a.error ?? ''}</td>
                    <td class="nowrap">{t('ms', { n: formatNumber(a.durationMs) })}</td>
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
function attemptKind(kind: string): string {
  return kind === 'create' || kind === 'note' || kind === 'callback' ? t(`kind_${kind}`) : kind;
}

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
