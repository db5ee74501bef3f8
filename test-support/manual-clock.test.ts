import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.ts';

describe('manual clock', () => {
  it('wakes sleepers in the order they are due, at their due time', async () => {
    const clock = createManualClock(1000);
    const woke: [string, number][] = [];
    void clock.sleep(300).then(() => woke.push(['c', clock.now()]));
    void clock.sleep(100).then(() => woke.push(['a', clock.now()]));
    void clock.sleep(200).then(() => woke.push(['b', clock.now()]));
    await clock.advance(250);
    expect(woke).toEqual([
      ['a', 1100],
      ['b', 1200],
    ]);
    expect(clock.now()).toBe(1250);
    await clock.advance(50);
    expect(woke.at(-1)).toEqual(['c', 1300]);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('runs sleeps scheduled by a woken sleeper within the same advance', async () => {
    const clock = createManualClock(0);
    const ticks: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 96; i++) {
        await clock.sleep(30 * 60_000);
        ticks.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(2 * 24 * 3600_000);
    await done;
    expect(ticks).toHaveLength(96);
    expect(ticks[0]).toBe(1_800_000);
    expect(ticks.at(-1)).toBe(2 * 24 * 3600_000);
  });

  it('rejects a sleep whose signal aborts, and forgets it', async () => {
    const clock = createManualClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pendingSleeps()).toBe(0);
    await expect(clock.sleep(10, ac.signal)).rejects.toThrow('stop');
  });

  it('refuses to go back in time', async () => {
    await expect(createManualClock(0).advance(-1)).rejects.toThrow(RangeError);
  });
});
