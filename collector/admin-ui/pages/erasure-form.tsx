// Erasing one person's leads (docs/privacy.md "Erasure"): a phone and/or an email, a confirmation
// step, then how many leads went, always with the note that the CRM's copy is not touched.
import { useState } from 'preact/hooks';
import { adminApi } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { errorText } from '../ui.tsx';

const t = messages({
  en: {
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

export function ErasureForm({ projectId }: { projectId: string }) {
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
