// createKeepingLead: the shared rule that a lead is never lost to one bad extra field, and its bounds.
import { describe, expect, it } from 'vitest';
import { MAX_FIELD_DROPS, createKeepingLead } from '../../src/crm/adapter-kit.ts';
import { CrmError, type CrmNote, type CrmResult } from '../../src/crm/types.ts';
import type { Lead } from '../../../shared/schemas.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

const refusal = (key: string, bag: 'fields' | 'clientFields' = 'fields') =>
  new CrmError(`HTTP 400: ${key} is bad`, { permanent: true, httpStatus: 400, refused: [{ key, in: bag, reason: `${key} is bad` }] });

describe('createKeepingLead', () => {
  it('sends again without each refused field, then notes them on the deal and reports them', async () => {
    const sent: Lead[] = [];
    const notes: CrmNote[] = [];
    const result = await createKeepingLead(
      sampleLead({ fields: { a: '1', b: ['x', 'y'], c: '3' }, clientFields: { d: '4' } }),
      async (l) => {
        sent.push(l);
        if ('a' in l.fields) throw refusal('a');
        if ('d' in l.clientFields) throw refusal('d', 'clientFields');
        if ('b' in l.fields) throw refusal('b');
        return { crmId: '7', httpStatus: 201 };
      },
      async (_id, note) => void notes.push(note),
    );
    expect(sent.map((l) => [Object.keys(l.fields), Object.keys(l.clientFields)])).toEqual([
      [['a', 'b', 'c'], ['d']],
      [['b', 'c'], ['d']],
      [['b', 'c'], []],
      [['c'], []],
    ]);
    expect(result).toEqual({
      crmId: '7',
      httpStatus: 201,
      droppedFields: [
        { key: 'a', value: '1', reason: 'a is bad' },
        { key: 'd', value: '4', reason: 'd is bad' },
        { key: 'b', value: 'x, y', reason: 'b is bad' },
      ],
    });
    expect(notes).toEqual([{ title: 'Fields the CRM refused (the lead was sent without them)', message: 'a: 1 — a is bad\nd: 4 — d is bad\nb: x, y — b is bad' }]);
  });

  it('a lead with nothing refused is sent once and untouched', async () => {
    let sends = 0;
    const result = await createKeepingLead(sampleLead({ fields: { a: '1' } }), async () => {
      sends++;
      return { crmId: '1', httpStatus: 200 };
    }, async () => undefined);
    expect(sends).toBe(1);
    expect(result).toEqual({ crmId: '1', httpStatus: 200 });
  });

  it('an error naming no field of the lead is thrown as it is (nothing to drop)', async () => {
    const err = new CrmError('HTTP 400: nope', { permanent: true, httpStatus: 400, refused: [{ key: 'other', in: 'fields', reason: 'r' }] });
    await expect(createKeepingLead(sampleLead({ fields: { a: '1' } }), async () => { throw err; }, async () => undefined)).rejects.toBe(err);
    const plain = new CrmError('HTTP 503: down', { permanent: false, httpStatus: 503 });
    await expect(createKeepingLead(sampleLead(), async () => { throw plain; }, async () => undefined)).rejects.toBe(plain);
  });

  it('gives up after a bounded number of sends when the CRM keeps refusing new fields', async () => {
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'v']));
    let sends = 0;
    const p = createKeepingLead(sampleLead({ fields }), async (l) => {
      sends++;
      throw refusal(Object.keys(l.fields)[0]!);
    }, async () => undefined);
    await expect(p).rejects.toBeInstanceOf(CrmError);
    expect(sends).toBe(MAX_FIELD_DROPS + 1);
  });

  it('a note that cannot be added once the deal exists is handed back as pending, not an error', async () => {
    const result: CrmResult = await createKeepingLead(
      sampleLead({ fields: { a: '1' } }),
      async (l) => {
        if ('a' in l.fields) throw refusal('a');
        return { crmId: '9', httpStatus: 200, pendingNotes: [{ title: '', message: 'comment' }] };
      },
      async () => {
        throw new CrmError('HTTP 502: down', { permanent: false, httpStatus: 502 });
      },
    );
    expect(result.crmId).toBe('9');
    expect(result.pendingNotes).toEqual([
      { title: '', message: 'comment' },
      { title: 'Fields the CRM refused (the lead was sent without them)', message: 'a: 1 — a is bad' },
    ]);
  });
});
