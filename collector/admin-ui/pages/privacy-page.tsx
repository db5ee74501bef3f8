// The Privacy page (docs/privacy.md): the project's retention, IP truncation and cookie settings, and
// the form erasing one person's leads (erasure-form.tsx).
import { useState } from 'preact/hooks';
import type { ProjectSettings } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { errorText, useLoad } from '../ui.tsx';
import { ErasureForm } from './erasure-form.tsx';

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
      <ErasureForm projectId={projectId} />
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
