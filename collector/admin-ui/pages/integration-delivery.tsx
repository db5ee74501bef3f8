// The integration page's cards on what happens around a delivery: "When delivery fails" (the retry policy) and
// "Call back" (the URL the call-back request is posted to).
import { messages } from '../lib/i18n.ts';
import { draftLabel, type Draft } from '../lib/integration-draft.ts';

const t = messages({
  en: {
    whenFails: 'When delivery fails',
    strategy: 'Retry strategy',
    fixed: 'Fixed: the same pause between attempts',
    exponential: 'Exponential: each pause doubles (with jitter)',
    noLimit: 'no limit',
    retryHint: "The default, like Roistat's, tries every 30 minutes (1800 s) for two days (96 attempts).",
    callBack: 'Call back',
    callbackHint: 'For forms with "Call back" on, leadrelay posts {body} here so your telephony can ring the client.',
  },
  ru: {
    whenFails: 'Если доставка не удалась',
    strategy: 'Как повторять',
    fixed: 'Равномерно: одна и та же пауза между попытками',
    exponential: 'С нарастанием: каждая пауза вдвое длиннее (со случайным сдвигом)',
    noLimit: 'без ограничения',
    retryHint: 'По умолчанию, как в Roistat, — каждые 30 минут (1800 с) в течение двух дней (96 попыток).',
    callBack: 'Обратный звонок',
    callbackHint: 'Для форм с включённым «Обратным звонком» leadrelay отправляет сюда {body}, чтобы ваша телефония позвонила клиенту.',
  },
});

export function RetryCard({ draft, update }: { draft: Draft; update: (patch: Partial<Draft>) => void }) {
  return (
    <div class="card">
      <h2>{t('whenFails')}</h2>
      <div class="row">
        <label for="retry-strategy">{t('strategy')}</label>
        <select id="retry-strategy" value={draft.strategy} onChange={(e) => update({ strategy: e.currentTarget.value === 'exponential' ? 'exponential' : 'fixed' })}>
          <option value="fixed">{t('fixed')}</option>
          <option value="exponential">{t('exponential')}</option>
        </select>
      </div>
      <div class="row-group">
        <div class="row">
          <label for="retry-base">{draftLabel('firstDelay')}</label>
          <input id="retry-base" type="number" min="1" value={draft.baseSeconds} onInput={(e) => update({ baseSeconds: e.currentTarget.value })} />
        </div>
        <div class="row">
          <label for="retry-max-attempts">{draftLabel('attempts')}</label>
          <input id="retry-max-attempts" type="number" min="1" step="1" value={draft.maxAttempts} onInput={(e) => update({ maxAttempts: e.currentTarget.value })} />
        </div>
        <div class="row">
          <label for="retry-max-age">{draftLabel('giveUp')}</label>
          <input id="retry-max-age" type="number" min="1" value={draft.maxAgeSeconds} placeholder={t('noLimit')} onInput={(e) => update({ maxAgeSeconds: e.currentTarget.value })} />
        </div>
      </div>
      <p class="hint">{t('retryHint')}</p>
    </div>
  );
}

export function CallbackCard({ draft, problem, update }: { draft: Draft; problem: string | undefined; update: (patch: Partial<Draft>) => void }) {
  return (
    <div class="card">
      <h2>{t('callBack')}</h2>
      <div class="row">
        <label for="callback-url">{draftLabel('callbackUrl')}</label>
        <input
          id="callback-url"
          type="url"
          value={draft.callbackUrl}
          placeholder="https://calls.example.com/hook"
          onInput={(e) => update({ callbackUrl: e.currentTarget.value })}
          aria-describedby={problem ? 'callback-url-hint callback-url-error' : 'callback-url-hint'}
          aria-invalid={problem ? 'true' : undefined}
        />
        {problem && (
          <p class="field-error" id="callback-url-error">
            {draftLabel('callbackUrl')}: {problem}
          </p>
        )}
        <p class="hint" id="callback-url-hint">
          {t('callbackHint', { body: '{leadId, phone}' })}
        </p>
      </div>
    </div>
  );
}
