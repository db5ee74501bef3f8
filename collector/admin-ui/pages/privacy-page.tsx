// The Privacy page (docs/privacy.md): the project's retention, IP truncation and cookie settings, and
// erasing one person's leads, with a confirmation step and the note that the CRM's copy stays.
import { useState } from 'preact/hooks';
import type { ProjectSettings } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { errorText, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    nav: 'Privacy',
    title: 'Privacy',
    intro: 'What this project keeps about the people who leave leads, for how long, and how to erase one person.',
    keptTitle: 'What is kept',
    retentionOn: 'Delete old leads and visits',
    retentionDays: 'Keep for (days)',
    retentionHint:
      'Leads (with their delivery attempts and comments) and visits older than this are deleted, checked every hour. A lead still older than this when its delivery is retried is deleted too, so keep it longer than your retry policy.',
    retentionBad: 'Keep for (days): a whole number from 1 to 36500.',
    truncateIp: "Shorten visitors' IP addresses",
    truncateIpHint: 'The last part is cut before anything is stored (1.2.3.4 becomes 1.2.3.0; IPv6 keeps its first 48 bits), also in the {ip} variable. Leads stored before keep theirs.',
    cookies: 'Cookies and visit tracking',
    cookiesHint:
      'Off: the script sets no cookie and registers no visit, so visit variables ({visit}, {utmSource}…) are empty; leads are still caught. Browsers pick the change up within 5 minutes.',
    save: 'Save',
    saved: 'Saved.',
    loading: 'Loading…',
    eraseTitle: "Erase a person's data",
    eraseIntro:
      'Deletes every lead of this person in this project, found by phone (written any way) or by email, with its delivery attempts, comments and the visits it came from. It cannot be undone.',
    crmNote: "The copy in your CRM is not touched: delete the person's deals and contacts there as well.",
    phone: 'Phone',
    email: 'Email',
    erase: 'Erase…',
    eraseNeeds: 'Phone or email: give at least one.',
    confirm: 'Erase every lead of {who} in this project? This cannot be undone.',
    confirmYes: 'Yes, erase',
    cancel: 'Cancel',
    erasedNone: 'No lead of this person was found.',
    erasedOne: '1 lead erased.',
    erasedMany: '{n} leads erased.',
  },
  ru: {
    nav: 'Конфиденциальность',
    title: 'Конфиденциальность',
    intro: 'Что проект хранит о людях, оставивших заявки, как долго, и как удалить данные одного человека.',
    keptTitle: 'Что хранится',
    retentionOn: 'Удалять старые заявки и визиты',
    retentionDays: 'Хранить (дней)',
    retentionHint:
      'Заявки (с попытками отправки и комментариями) и визиты старше этого срока удаляются, проверка раз в час. Заявка старше срока удаляется, даже если её отправка ещё повторяется, поэтому срок должен быть длиннее политики повторов.',
    retentionBad: 'Хранить (дней): целое число от 1 до 36500.',
    truncateIp: 'Сокращать IP-адреса посетителей',
    truncateIpHint:
      'Последняя часть адреса отбрасывается до сохранения (1.2.3.4 становится 1.2.3.0; у IPv6 остаются первые 48 бит), и в переменной {ip} тоже. Уже сохранённые заявки остаются как есть.',
    cookies: 'Cookie и учёт визитов',
    cookiesHint:
      'Выключено: скрипт не ставит cookie и не регистрирует визиты, поэтому переменные визита ({visit}, {utmSource}…) пустые; заявки по-прежнему ловятся. Браузеры увидят изменение в течение 5 минут.',
    save: 'Сохранить',
    saved: 'Сохранено.',
    loading: 'Загрузка…',
    eraseTitle: 'Удалить данные человека',
    eraseIntro:
      'Удаляет все заявки этого человека в проекте, найденные по телефону (в любой записи) или по email, вместе с попытками отправки, комментариями и визитами, с которых они пришли. Отменить нельзя.',
    crmNote: 'Копия в вашей CRM не затрагивается: удалите сделки и контакты этого человека и там.',
    phone: 'Телефон',
    email: 'Email',
    erase: 'Удалить…',
    eraseNeeds: 'Телефон или email: укажите хотя бы одно.',
    confirm: 'Удалить все заявки с контактом {who} в этом проекте? Отменить будет нельзя.',
    confirmYes: 'Да, удалить',
    cancel: 'Отмена',
    erasedNone: 'Заявок этого человека не найдено.',
    erasedOne: 'Удалена 1 заявка.',
    erasedMany: 'Удалено заявок: {n}.',
  },
});

/** The navigation link's text, in the current language. */
export const privacyNavLabel = () => t('nav');

export function PrivacyPage({ projectId }: { projectId: string }) {
  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <PrivacySettings projectId={projectId} />
      <Erasure projectId={projectId} />
    </section>
  );
}

type Draft = Pick<ProjectSettings, 'truncateIp' | 'cookies'> & { retentionOn: boolean; retentionDays: string };

function PrivacySettings({ projectId }: { projectId: string }) {
  const [loaded] = useLoad(() => adminApi.getProject(projectId), projectId);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const current: Draft | null =
    draft ??
    (loaded.state === 'ready'
      ? {
          retentionOn: loaded.data.retentionDays != null,
          retentionDays: String(loaded.data.retentionDays ?? 365),
          truncateIp: loaded.data.truncateIp,
          cookies: loaded.data.cookies,
        }
      : null);
  if (!current) {
    return <p class="card muted">{loaded.state === 'error' ? errorText(loaded.error) : t('loading')}</p>;
  }
  const change = (patch: Partial<Draft>) => {
    setDraft({ ...current, ...patch });
    setStatus('');
  };
  const days = Number(current.retentionDays);
  const daysBad = current.retentionOn && !(Number.isInteger(days) && days >= 1 && days <= 36_500);
  const save = async (ev: Event) => {
    ev.preventDefault();
    setError('');
    if (daysBad) {
      setError(t('retentionBad'));
      return;
    }
    setBusy(true);
    try {
      const saved = await adminApi.putProjectSettings(projectId, {
        retentionDays: current.retentionOn ? days : null,
        truncateIp: current.truncateIp,
        cookies: current.cookies,
      });
      setDraft({ retentionOn: saved.retentionDays != null, retentionDays: String(saved.retentionDays ?? days), truncateIp: saved.truncateIp, cookies: saved.cookies });
      setStatus(t('saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={save} noValidate>
      <h2>{t('keptTitle')}</h2>
      <div class="row check">
        <input id="retention-on" type="checkbox" checked={current.retentionOn} onChange={(e) => change({ retentionOn: e.currentTarget.checked })} />
        <label for="retention-on">{t('retentionOn')}</label>
      </div>
      <div class="row">
        <label for="retention-days">{t('retentionDays')}</label>
        <input
          id="retention-days"
          type="number"
          min={1}
          max={36500}
          step={1}
          disabled={!current.retentionOn}
          value={current.retentionDays}
          onInput={(e) => change({ retentionDays: e.currentTarget.value })}
          aria-invalid={daysBad ? 'true' : undefined}
          aria-describedby="retention-hint"
        />
        <p class="hint" id="retention-hint">
          {t('retentionHint')}
        </p>
      </div>
      <div class="row check">
        <input id="truncate-ip" type="checkbox" checked={current.truncateIp} onChange={(e) => change({ truncateIp: e.currentTarget.checked })} aria-describedby="truncate-ip-hint" />
        <label for="truncate-ip">{t('truncateIp')}</label>
        <span class="hint" id="truncate-ip-hint">
          {t('truncateIpHint')}
        </span>
      </div>
      <div class="row check">
        <input id="cookies" type="checkbox" checked={current.cookies} onChange={(e) => change({ cookies: e.currentTarget.checked })} aria-describedby="cookies-hint" />
        <label for="cookies">{t('cookies')}</label>
        <span class="hint" id="cookies-hint">
          {t('cookiesHint')}
        </span>
      </div>
      {error && (
        <p class="message message-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
        <span role="status" class="muted">
          {status}
        </span>
      </div>
    </form>
  );
}

function Erasure({ projectId }: { projectId: string }) {
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const who = [phone.trim(), email.trim()].filter(Boolean).join(', ');
  const ask = (ev: Event) => {
    ev.preventDefault();
    setResult('');
    if (!who) {
      setError(t('eraseNeeds'));
      return;
    }
    setError('');
    setConfirming(true);
  };
  const erase = async () => {
    setBusy(true);
    setError('');
    try {
      const { deleted } = await adminApi.erase(projectId, { ...(phone.trim() ? { phone: phone.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) });
      setResult(`${deleted === 0 ? t('erasedNone') : deleted === 1 ? t('erasedOne') : t('erasedMany', { n: deleted })} ${t('crmNote')}`);
      setPhone('');
      setEmail('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <form class="card" onSubmit={ask} noValidate>
      <h2>{t('eraseTitle')}</h2>
      <p>{t('eraseIntro')}</p>
      <p class="message message-warn">{t('crmNote')}</p>
      <div class="row-group">
        <div class="row">
          <label for="erase-phone">{t('phone')}</label>
          <input id="erase-phone" type="tel" autoComplete="off" value={phone} disabled={confirming} onInput={(e) => setPhone(e.currentTarget.value)} />
        </div>
        <div class="row">
          <label for="erase-email">{t('email')}</label>
          <input id="erase-email" type="email" autoComplete="off" value={email} disabled={confirming} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
      </div>
      {error && (
        <p class="message message-error" role="alert">
          {error}
        </p>
      )}
      {confirming ? (
        <div class="message message-warn" role="alert">
          <p>{t('confirm', { who })}</p>
          <div class="form-actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void erase()}>
              {t('confirmYes')}
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="form-actions">
          <button type="submit">{t('erase')}</button>
        </div>
      )}
      <p role="status" class="muted">
        {result}
      </p>
    </form>
  );
}
