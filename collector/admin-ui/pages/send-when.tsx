// The form editor's "Send when" card (README "Send when"): a preset of a form builder, or a custom condition.
import { PRESETS, type SendWhenPreset, type SendWhenState, t } from '../lib/send-when.ts';

const OPTIONS: SendWhenPreset[] = ['now', 'tilda', 'cf7', 'bitrix24', 'custom'];

export function SendWhen({ state, error, onChange }: { state: SendWhenState; error: string | undefined; onChange: (patch: Partial<SendWhenState>) => void }) {
  const waits = state.preset !== 'now';
  return (
    <div class="card">
      <h2>{t('label')}</h2>
      <div class="row">
        <label for="send-when">{t('label')}</label>
        <select id="send-when" value={state.preset} onChange={(e) => onChange({ preset: e.currentTarget.value as SendWhenPreset })} aria-describedby="send-when-hint">
          {OPTIONS.map((p) => (
            <option key={p} value={p}>
              {t(p)}
            </option>
          ))}
        </select>
        <p class="hint" id="send-when-hint">
          {waits ? t('hintWait') : t('hintNow')}
        </p>
      </div>
      {state.preset === 'custom' && (
        <>
          <div class="row">
            <label for="send-when-selector">{t('selector')}</label>
            <input id="send-when-selector" class="mono" value={state.selector} placeholder=".success-message" aria-describedby="send-when-selector-hint" onInput={(e) => onChange({ selector: e.currentTarget.value })} />
            <p class="hint" id="send-when-selector-hint">
              {t('selectorHint')}
            </p>
          </div>
          <div class="row">
            <label for="send-when-event">{t('event')}</label>
            <input id="send-when-event" class="mono" value={state.event} placeholder="form:sent" aria-describedby="send-when-event-hint" onInput={(e) => onChange({ event: e.currentTarget.value })} />
            <p class="hint" id="send-when-event-hint">
              {t('eventHint')}
            </p>
          </div>
        </>
      )}
      {state.preset !== 'now' && state.preset !== 'custom' && (
        <p class="hint" id="send-when-marker">
          {PRESETS[state.preset].selector
            ? t('markerSelector', { marker: PRESETS[state.preset].selector ?? '' })
            : t('markerEvent', { marker: PRESETS[state.preset].event ?? '' })}
        </p>
      )}
      {waits && (
        <div class="row">
          <label for="send-when-seconds">{t('seconds')}</label>
          <input id="send-when-seconds" type="number" min={1} max={300} value={state.seconds} aria-invalid={error ? 'true' : undefined} onInput={(e) => onChange({ seconds: e.currentTarget.value })} />
        </div>
      )}
      {error && (
        <p class="field-error" id="send-when-error">
          {error}
        </p>
      )}
    </div>
  );
}
