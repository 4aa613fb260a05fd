import { ValidationError } from '@mlh/core';
import { createMemorySyncStore, storableIssues, unstorableTextReason, withStorableInputs } from '@mlh/sync';
import { describe, expect, it } from 'vitest';

describe('storable input', () => {
  it('names every string, key and number a database could not keep as given', () => {
    expect(
      storableIssues(
        {
          title: 'ok ✓ 🎉',
          attributes: { 'col\u0000or': 'red', size: 'M\uDC00' },
          weights: [0.5, Number.NaN, 2 ** 60, -(2 ** 53)],
        },
        'product',
      ).map((issue) => issue.path),
    ).toEqual([
      'product.attributes.col\u0000or',
      'product.attributes.size',
      'product.weights.1',
      'product.weights.2',
      'product.weights.3',
    ]);
    expect(unstorableTextReason('fine 🎉')).toBeUndefined();
    expect(unstorableTextReason('\uD83D')).toMatch(/lone UTF-16 surrogate/);
  });

  it('walks cycles and deep nesting, naming an issue however deep and only once', () => {
    const cyclic: Record<string, unknown> = { name: 'ok' };
    cyclic.self = cyclic;
    cyclic.child = { parent: cyclic, bad: 'x\u0000' };
    expect(storableIssues(cyclic, 'order').map((issue) => issue.path)).toEqual(['order.child.bad']);
    let deep: unknown = 'fine';
    for (let level = 0; level < 100; level += 1) deep = { next: deep };
    expect(storableIssues(deep, '')).toEqual([]);
    let deepBad: unknown = Number.POSITIVE_INFINITY;
    for (let level = 0; level < 100; level += 1) deepBad = [deepBad];
    expect(storableIssues(deepBad, 'x')).toEqual([
      expect.objectContaining({ path: `x${'.0'.repeat(100)}`, code: 'number_out_of_range' }),
    ]);
  });

  it('guards a store written as a class, keeping its methods bound', async () => {
    class CountingStore {
      readonly inner = createMemorySyncStore();
      calls = 0;
      getStock(skus: readonly string[]) {
        this.calls += 1;
        return this.inner.getStock(skus);
      }
    }
    const raw = new CountingStore();
    const guarded = withStorableInputs(
      raw as unknown as Parameters<typeof withStorableInputs>[0],
    ) as unknown as CountingStore;
    await expect(guarded.getStock(['A\u0000'])).rejects.toBeInstanceOf(ValidationError);
    expect(raw.calls).toBe(0);
    expect(await guarded.getStock(['A'])).toEqual([]);
    expect(raw.calls).toBe(1);
  });
});
