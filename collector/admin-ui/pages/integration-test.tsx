// The integration page's connection test: the button (owners only) and the last result, which stays on screen
// (saving does not clear it) with when it ran, or that the settings changed since.
import { can } from '../lib/access.ts';
import { messages } from '../lib/i18n.ts';
import { formatTime } from '../lib/status.ts';

const t = messages({
  en: {
    testConnection: 'Test connection',
    testedAt: 'checked {time}',
    changedSince: 'the settings changed since: test again',
  },
  ru: {
    testConnection: 'Проверить подключение',
    testedAt: 'проверено {time}',
    changedSince: 'настройки изменились: проверьте снова',
  },
});

/** The last test's result: `at` is when it ran; `stale` once the type or settings changed after it. */
export interface TestResult {
  ok: boolean;
  message: string;
  at: string;
  stale: boolean;
}

export function TestPanel({ test, disabled, onTest }: { test: TestResult | null; disabled: boolean; onTest: () => void }) {
  return (
    <div class="form-actions">
      {can('owner') && (
        <button type="button" onClick={onTest} disabled={disabled}>
          {t('testConnection')}
        </button>
      )}
      {test && (
        <span class={test.ok ? 'status-ok' : 'status-bad'} role="status" id="integration-test-result">
          {test.ok ? '✓ ' : '✗ '}
          {test.message}
          <span class="muted"> · {test.stale ? t('changedSince') : t('testedAt', { time: formatTime(test.at) })}</span>
        </span>
      )}
    </div>
  );
}
