// The store's decisions, pure (collector/src/leads/plan.ts): both stores run the same statements
// around these plans, so these cases hold for SQLite and PostgreSQL alike.
import { describe, expect, test } from 'vitest';
import { deliveryView, planFailure, planIngest, planRequeue } from '../../src/leads/plan.ts';
import { newLead } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
const usable = { enabled: true, callbackUrl: 'https://site.example/callback' };

describe('planIngest', () => {
  test('a lead with an enabled integration is pending with a create job; a call-back request adds its job', () => {
    expect(planIngest(newLead('p'), 'L1', { candidates: [], integration: usable })).toEqual({
      status: 'pending',
      duplicateOf: null,
      statusReason: null,
      jobs: [{ kind: 'create', payload: {} }],
      noteOnOriginal: null,
    });
    const callback = planIngest(newLead('p', { callback: true, callbackPhone: '+7 900' }), 'L1', { candidates: [], integration: usable });
    expect(callback.jobs).toEqual([{ kind: 'create', payload: {} }, { kind: 'callback', payload: { phone: '+7 900' } }]);
  });

  test('a repeat is a duplicate of the newest original still in work, which gets a note when asked', () => {
    const candidates = [
      { id: 'old', status: 'sent', createdAt: T0 },
      { id: 'newer-failed', status: 'failed', createdAt: T0 + 2 },
      { id: 'newer', status: 'pending', createdAt: T0 + 1 },
    ] as const;
    const plan = planIngest(newLead('p', { appendDuplicateComment: true, callback: true }), 'L9', { candidates: [...candidates], integration: usable });
    expect(plan).toMatchObject({ status: 'duplicate', duplicateOf: 'newer', jobs: [] });
    expect(plan.noteOnOriginal).toMatchObject({ leadId: 'newer', title: 'Duplicate request', toCrm: true });
    expect(planIngest(newLead('p', { duplicateCheck: 'all' }), 'L9', { candidates: [...candidates], integration: usable }).duplicateOf).toBe('newer-failed');
  });

  test('a test lead is never a duplicate and gets no job; a not-sent lead keeps its reason; no integration waits', () => {
    const candidates = [{ id: 'o', status: 'pending' as const, createdAt: T0 }];
    expect(planIngest(newLead('p', { test: true, callback: true }), 'L', { candidates, integration: usable })).toMatchObject({ status: 'test', duplicateOf: null, jobs: [] });
    expect(planIngest(newLead('p', { send: false, notSentReason: 'form off' }), 'L', { candidates: [], integration: usable })).toMatchObject({
      status: 'not_sent',
      statusReason: 'form off',
      jobs: [],
    });
    expect(planIngest(newLead('p'), 'L', { candidates: [], integration: null })).toMatchObject({ status: 'no_integration', jobs: [] });
    // A test lead is never an original either.
    expect(planIngest(newLead('p'), 'L', { candidates: [{ id: 't', status: 'test', createdAt: T0 }], integration: usable }).status).toBe('pending');
  });
});

describe('planFailure and planRequeue', () => {
  test('a retry keeps the lead in work; giving up on a create job fails the lead, on a note it does not', () => {
    expect(planFailure('create', T0, 'HTTP 503')).toEqual({ state: 'retrying', runAt: T0, lastError: 'HTTP 503', leadStatus: null });
    expect(planFailure('create', null, 'HTTP 400')).toEqual({ state: 'failed', runAt: null, lastError: 'HTTP 400', leadStatus: 'failed' });
    expect(planFailure('note', null, 'HTTP 400').leadStatus).toBeNull();
  });

  test('a resend keeps the last error; an enabled integration clears it', () => {
    expect(planRequeue('resend')).toMatchObject({ status: 'pending', clearError: false });
    expect(planRequeue('integration_enabled').clearError).toBe(true);
  });
});

describe('deliveryView', () => {
  const job = { state: 'retrying' as const, tries: 2, runAt: T0, lastError: 'HTTP 503' };
  test('the admin API shape comes from the lead outcome and its create job', () => {
    expect(deliveryView({ status: 'pending', statusReason: null }, job)).toEqual({ status: 'retrying', attemptCount: 2, nextAttemptAt: T0, lastError: 'HTTP 503' });
    expect(deliveryView({ status: 'failed', statusReason: null }, { ...job, state: 'failed' })).toEqual({ status: 'failed', attemptCount: 2, nextAttemptAt: null, lastError: 'HTTP 503' });
    expect(deliveryView({ status: 'not_sent', statusReason: 'form off' }, null)).toEqual({ status: 'not_sent', attemptCount: 0, nextAttemptAt: null, lastError: 'form off' });
    expect(deliveryView({ status: 'no_integration', statusReason: 'no enabled integration' }, { ...job, state: 'parked', lastError: null })).toEqual({
      status: 'no_integration',
      attemptCount: 2,
      nextAttemptAt: null,
      lastError: 'no enabled integration',
    });
  });
});
