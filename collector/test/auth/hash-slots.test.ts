// A burst of logins never queues password hashes without bound (hash-slots.ts): two run, sixteen wait,
// the next is refused at once with RATE_LIMITED; a finished hash hands its slot to the first waiter.
import { describe, expect, it } from 'vitest';
import { createHashSlots } from '../../src/auth/hash-slots.ts';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('createHashSlots', () => {
  it('runs `concurrent` at once, queues `queued`, refuses the rest at once', async () => {
    const slots = createHashSlots({ concurrent: 2, queued: 3 });
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.load()).toEqual({ running: 2, waiting: 3 });
    await expect(slots.run(async () => 'never')).rejects.toMatchObject({ code: 'RATE_LIMITED', statusCode: 429 });

    gates[0]!.open();
    expect(await runs[0]).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('a hash that throws still gives its slot back', async () => {
    const slots = createHashSlots({ concurrent: 1, queued: 0 });
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });
});
