import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n.ts';
import { LEAD_STATUSES, canResend, formatNumber, formatTime, isInFlight, statusLabel, statusView, type LeadStatusFields } from './status.ts';

const base: LeadStatusFields = { status: 'pending', crmId: null, lastError: null, nextAttemptAt: null, duplicateOf: null };

describe('lead status display (docs/data-model.md lead statuses)', () => {
  it('sent shows ✓ and the CRM deal id', () => {
    const v = statusView({ ...base, status: 'sent', crmId: 'D-17' });
    expect(v).toMatchObject({ icon: '✓', tone: 'ok', label: 'Sent', detail: 'CRM deal D-17', nextTry: null });
  });

  it('not_sent shows "Do not send"', () => {
    expect(statusView({ ...base, status: 'not_sent' })).toMatchObject({ icon: '', label: 'Do not send', detail: '' });
  });

  it('not_sent says why when the server gave a reason (a form switched off)', () => {
    const v = statusView({ ...base, status: 'not_sent', lastError: 'Not sent: its form "Contact" is switched off.' });
    expect(v).toMatchObject({ label: 'Do not send', detail: 'Not sent: its form "Contact" is switched off.' });
  });

  it.each(['pending', 'retrying', 'no_integration'] as const)('%s shows ✗ with the reason and the next try', (status) => {
    const v = statusView({ ...base, status, lastError: 'HTTP 500: boom', nextAttemptAt: '2026-01-01T00:30:00.000Z' });
    expect(v).toMatchObject({ icon: '✗', tone: 'bad', detail: 'HTTP 500: boom', nextTry: '2026-01-01T00:30:00.000Z' });
  });

  it('failed shows ✗ with the reason and no next try', () => {
    expect(statusView({ ...base, status: 'failed', lastError: 'Bad token', nextAttemptAt: null })).toMatchObject({ icon: '✗', detail: 'Bad token', nextTry: null });
  });

  it('gives a reason even when the server has none yet', () => {
    expect(statusView({ ...base, status: 'no_integration' }).detail).toBe('The project has no CRM integration');
    expect(statusView({ ...base, status: 'pending' }).detail).toBe('Not sent yet');
  });

  it('duplicate names the original', () => {
    expect(statusView({ ...base, status: 'duplicate', duplicateOf: 'L-1' }).detail).toBe('Duplicate of L-1');
  });

  it('offers Resend for everything but a lead already in the CRM, and refreshes only in-flight leads', () => {
    expect(canResend('sent')).toBe(false);
    expect(canResend('test')).toBe(false);
    expect(['failed', 'retrying', 'pending', 'no_integration', 'not_sent', 'duplicate'].every((s) => canResend(s as never))).toBe(true);
    expect(isInFlight('pending') && isInFlight('retrying')).toBe(true);
    expect(isInFlight('failed') || isInFlight('sent')).toBe(false);
  });

  describe('in Russian', () => {
    afterEach(() => setLanguage('en'));

    it('names every status and reason in Russian, and formats times and numbers the Russian way', () => {
      setLanguage('ru');
      expect(statusView({ ...base, status: 'sent', crmId: 'D-17' })).toMatchObject({ label: 'Отправлена', detail: 'Сделка в CRM D-17' });
      expect(statusView({ ...base, status: 'no_integration' }).detail).toBe('У проекта нет интеграции с CRM');
      for (const s of LEAD_STATUSES) expect(statusLabel(s)).toMatch(/^(CRM )?[А-Яа-яЁё ]+$/);
      expect(formatTime('2026-03-05T10:00:00.000Z')).toMatch(/2026/);
      expect(formatTime('2026-03-05T10:00:00.000Z')).toMatch(/мар/);
      expect(formatNumber(1234.5)).toBe('1\u00a0234,5');
      setLanguage('en');
      expect(statusLabel('failed')).toBe('Failed');
      expect(formatNumber(1234.5)).toBe('1,234.5');
    });
  });
});
