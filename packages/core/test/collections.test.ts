import {
  asArray,
  chunk,
  groupBy,
  instantToEpochMs,
  MlhError,
  mapLimit,
  paginate,
  withoutUndefined,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

describe('chunk', () => {
  it('splits a batch into the API maximum, in order, the last one shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 20)).toEqual([]);
  });

  it('treats a size below 1 as 1 instead of looping forever', () => {
    expect(chunk(['a', 'b'], 0)).toEqual([['a'], ['b']]);
  });
});

describe('mapLimit', () => {
  it('keeps the order of the inputs and never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (value) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      inFlight--;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('runs one at a time when the limit is 0 or not a number, and resolves [] for no input', async () => {
    expect(await mapLimit([1, 2], 0, async (value) => value)).toEqual([1, 2]);
    expect(await mapLimit([1, 2], Number.NaN, async (value) => value)).toEqual([1, 2]);
    expect(await mapLimit([], 4, async (value) => value)).toEqual([]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (value) => {
        if (value === 2) throw new Error('two failed');
        return value;
      }),
    ).rejects.toThrow('two failed');
  });
});

describe('asArray', () => {
  it('reads a status option given as one value or several', () => {
    expect(asArray('paid')).toEqual(['paid']);
    expect(asArray(['paid', 'shipped'])).toEqual(['paid', 'shipped']);
    expect(asArray(undefined)).toBeUndefined();
  });
});

describe('groupBy', () => {
  it('groups a batch per listing, keeping first-seen order and each group in input order', () => {
    const updates = [
      { productExternalId: 'p2', quantity: 1 },
      { productExternalId: 'p1', quantity: 2 },
      { productExternalId: 'p2', quantity: 3 },
    ];
    const groups = groupBy(updates, (update) => update.productExternalId);
    expect([...groups.keys()]).toEqual(['p2', 'p1']);
    expect(groups.get('p2')?.map((update) => update.quantity)).toEqual([1, 3]);
    expect(groups.get('p1')?.map((update) => update.quantity)).toEqual([2]);
  });
});

describe('instantToEpochMs', () => {
  it('reads a Date, an ISO 8601 string or epoch milliseconds', () => {
    const ms = Date.UTC(2026, 0, 31, 12);
    expect(instantToEpochMs(new Date(ms))).toBe(ms);
    expect(instantToEpochMs('2026-01-31T12:00:00Z')).toBe(ms);
    expect(instantToEpochMs('2026-01-31T09:00:00-03:00')).toBe(ms);
    expect(instantToEpochMs(ms)).toBe(ms);
  });

  it('is undefined for what names no moment', () => {
    expect(instantToEpochMs('yesterday')).toBeUndefined();
    expect(instantToEpochMs(Number.NaN)).toBeUndefined();
    expect(instantToEpochMs(new Date('nope'))).toBeUndefined();
    expect(instantToEpochMs(9e15)).toBeUndefined();
  });
});

describe('paginate', () => {
  const pages: Record<string, { items: string[]; next?: string }> = {
    start: { items: ['a', 'b'], next: 'p2' },
    p2: { items: ['c'], next: 'p3' },
    p3: { items: ['d'] },
  };

  it('follows cursors from the first page to the last, fetching only what is consumed', async () => {
    const fetched: Array<string | undefined> = [];
    const walk = paginate({
      fetchPage: async (cursor: string | undefined) => {
        fetched.push(cursor);
        return pages[cursor ?? 'start'] as { items: string[]; next?: string };
      },
      nextCursor: (page) => page.next,
      repeated: (cursor) => new MlhError(`cursor ${cursor} again`),
    });
    const items: string[] = [];
    for await (const page of walk) {
      items.push(...page.items);
      if (items.length >= 3) break;
    }
    expect(items).toEqual(['a', 'b', 'c']);
    expect(fetched).toEqual([undefined, 'p2']);
  });

  it('stops with the caller’s error when a cursor comes back, instead of looping forever', async () => {
    let calls = 0;
    const walk = paginate({
      fetchPage: async () => {
        calls++;
        return { next: calls % 2 === 1 ? 'x' : 'y' };
      },
      nextCursor: (page) => page.next,
      repeated: (cursor) => new MlhError(`cursor ${cursor} again`, { code: 'repeated_cursor' }),
    });
    const error = await (async () => {
      try {
        for await (const page of walk) expect(page.next).toMatch(/^[xy]$/);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MlhError);
    expect((error as MlhError).code).toBe('repeated_cursor');
    expect((error as MlhError).message).toBe('cursor x again');
    // Pages at (none), x and y were fetched; y pointed back at x, which is never fetched again.
    expect(calls).toBe(3);
  });

  it('counts the first cursor as used: an offset API that hands back 0 is caught', async () => {
    const walk = paginate<{ next: number }, number>({
      first: 0,
      fetchPage: async () => ({ next: 0 }),
      nextCursor: (page) => page.next,
      repeated: (offset) => new MlhError(`offset ${offset} again`),
    });
    await expect(walk.next()).resolves.toMatchObject({ done: false });
    await expect(walk.next()).rejects.toThrow('offset 0 again');
  });

  it('checks the abort signal before each page', async () => {
    const controller = new AbortController();
    let calls = 0;
    const walk = paginate({
      fetchPage: async () => {
        calls++;
        return { next: `c${calls}` };
      },
      nextCursor: (page) => page.next,
      repeated: () => new MlhError('repeated'),
      signal: controller.signal,
    });
    await walk.next();
    controller.abort(new Error('stopped by the caller'));
    await expect(walk.next()).rejects.toThrow('stopped by the caller');
    expect(calls).toBe(1);
  });
});

describe('withoutUndefined', () => {
  it('drops undefined values and keeps every other one, null and falsy included', () => {
    const copy = withoutUndefined({ a: 1, b: undefined, c: null, d: 0, e: '', f: false });
    expect(copy).toEqual({ a: 1, c: null, d: 0, e: '', f: false });
    expect(Object.keys(copy)).toEqual(['a', 'c', 'd', 'e', 'f']);
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "sku": "A"}') as Record<string, unknown>;
    const copy = withoutUndefined(input);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'sku']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies only own keys of an object with a prototype of its own, and keeps a null-prototype object whole', () => {
    const base = { inherited: 'no' };
    const derived = Object.assign(Object.create(base) as Record<string, unknown>, {
      own: 'yes',
      gone: undefined,
    });
    expect(Object.keys(withoutUndefined(derived))).toEqual(['own']);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, {
      a: 1,
      b: undefined,
      c: 'x',
    });
    expect(withoutUndefined(bare)).toEqual({ a: 1, c: 'x' });
    expect(Object.keys(withoutUndefined(bare))).toEqual(['a', 'c']);
  });
});
