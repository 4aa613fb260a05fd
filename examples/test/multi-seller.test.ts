import { describe, expect, it } from 'vitest';
import { main } from '../multi-seller';

describe('several sellers in one process, against the sandboxes', () => {
  it('gives each account only its own listings and its own tokens, refreshes included', async () => {
    const lines: string[] = [];
    const checks = await main({ env: {}, print: (line) => lines.push(line) });
    expect(checks).toHaveLength(6);
    for (const check of checks) expect(check.listed).toEqual(check.expected);
    expect(checks.map((check) => [check.tenant, check.marketplace, check.expected])).toEqual([
      ['Loja Azul', 'meli', ['AZUL-MUG']],
      ['Loja Azul', 'shopee', ['AZUL-MUG']],
      ['Loja Azul', 'tiktok', ['AZUL-MUG']],
      ['Loja Verde', 'meli', ['VERDE-MUG']],
      ['Loja Verde', 'shopee', ['VERDE-MUG']],
      ['Loja Verde', 'tiktok', ['VERDE-MUG']],
    ]);
    for (const marketplace of ['meli', 'shopee', 'tiktok']) {
      const accounts = checks.filter((check) => check.marketplace === marketplace);
      expect(new Set(accounts.map((check) => check.accountId)).size).toBe(2);
      expect(new Set(accounts.map((check) => check.token)).size).toBe(2);
    }
    // Both Mercado Livre sellers' tokens expired at once; each refreshed its own.
    expect(lines).toContain(
      'Mercado Livre tokens expired (sandbox clock +7 h): 2 accounts refreshed their own tokens.',
    );
  });
});
