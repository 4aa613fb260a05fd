import { createManualClock, systemClock } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { epochMsToIso as portableEpochMsToIso } from '../src/clock';
import { epochMsToIso } from '../src/fast-iso';

describe('createManualClock', () => {
  it('resolves sleeps only when advanced past their deadline, in order', async () => {
    const clock = createManualClock(1_000);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(99);
    expect(woke).toEqual([]);
    expect(clock.pendingTimers()).toEqual([1_100, 1_300]);
    await clock.advance(500);
    expect(woke).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1_599);
  });

  it('fires timers scheduled by woken code within the same advance', async () => {
    const clock = createManualClock(0);
    const woke: number[] = [];
    void clock.sleep(100).then(async () => {
      await clock.sleep(100);
      woke.push(clock.now());
    });
    await clock.advance(250);
    expect(woke).toEqual([200]);
  });

  it('rejects a sleep when its signal aborts, and forgets the timer', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('runs every pending timer with runAll and jumps to a moment with set', async () => {
    const clock = createManualClock(0);
    let done = false;
    void clock.sleep(10_000).then(() => {
      done = true;
    });
    await clock.runAll();
    expect(done).toBe(true);
    expect(clock.now()).toBe(10_000);
    await clock.set(50_000);
    expect(clock.now()).toBe(50_000);
    expect(await clock.next()).toBe(false);
  });
});

describe('ManualClock.settle', () => {
  it('drives a chain of sleeps to its result, and rethrows its error', async () => {
    const clock = createManualClock(0);
    const work = async () => {
      await clock.sleep(1_000);
      await clock.sleep(2_000);
      return clock.now();
    };
    expect(await clock.settle(work())).toBe(3_000);
    const failing = clock.sleep(500).then(() => {
      throw new Error('after the wait');
    });
    await expect(clock.settle(failing)).rejects.toThrow('after the wait');
  });
});

describe('systemClock', () => {
  it('reads the real time and rejects an already aborted sleep', async () => {
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(1_000);
    await expect(systemClock.sleep(10, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    await expect(systemClock.sleep(0)).resolves.toBeUndefined();
  });
});

describe('epochMsToIso', () => {
  it('writes what Date#toISOString writes, across leap years, month ends and the range edges', () => {
    const edges = [0, 1, 951_782_400_000, 951_868_799_999, 4_107_542_399_999, 253_402_300_799_999];
    let state = 17;
    const random = () => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    const samples = [
      ...edges,
      ...Array.from({ length: 20_000 }, () => Math.floor(random() * 253_402_300_800_000)),
    ];
    for (const ms of samples) {
      expect(epochMsToIso(ms)).toBe(new Date(ms).toISOString());
      expect(portableEpochMsToIso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('hands dates outside 1970–9999 and fractions to Date, and throws as it does on NaN', () => {
    for (const ms of [-1, -62_198_755_200_000, 253_402_300_800_000, 1.5, -1.5, 8.64e15])
      expect(epochMsToIso(ms)).toBe(new Date(ms).toISOString());
    expect(() => epochMsToIso(Number.NaN)).toThrow(RangeError);
    expect(() => epochMsToIso(8.64e15 + 1)).toThrow(RangeError);
  });

  it('is the fast one in the Node entry', async () => {
    const node = await import('../src/index.node');
    expect(node.epochMsToIso).toBe(epochMsToIso);
  });
});
