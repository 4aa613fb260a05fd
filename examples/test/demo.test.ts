import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDemo } from '../demo';

describe('pnpm demo, against the three sandboxes', () => {
  it('lists the catalog, ingests every order once, and ends with exact stock everywhere', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ env: {}, print: (line) => lines.push(line) });

    expect(summary.ran).toBe(true);
    expect(summary.failures).toEqual([]);
    const { meli, shopee, tiktok } = summary.marketplaces;
    for (const numbers of [meli, shopee, tiktok]) {
      expect(numbers?.mode).toBe('sandbox');
      expect(numbers?.listings).toBe(3);
      // Each order stored once, created by exactly one store write, however many notifications named it.
      expect(numbers?.ordersStored).toBe(numbers?.ordersPlaced);
      expect(numbers?.ordersCreated).toBe(numbers?.ordersPlaced);
      // The injected 503 / 429 was retried by the transport.
      expect(numbers?.retries).toBeGreaterThanOrEqual(1);
      expect(numbers?.apiCalls).toBeGreaterThan(0);
    }
    expect([meli?.ordersPlaced, shopee?.ordersPlaced, tiktok?.ordersPlaced]).toEqual([2, 1, 1]);
    // Webhook marketplaces deliver every notification twice; every copy was dropped. Shopee is polled.
    for (const numbers of [meli, tiktok]) {
      expect(numbers?.webhooksAccepted).toBeGreaterThan(0);
      expect(numbers?.duplicatesDropped).toBe(numbers?.webhooksAccepted);
    }
    expect(shopee?.webhooksAccepted).toBe(0);

    const everywhere = (quantity: number) => ({ meli: quantity, shopee: quantity, tiktok: quantity });
    expect(summary.stock).toEqual([
      { sku: 'MUG-300', before: 20, sold: 3, cancelled: 2, after: 19, onMarketplace: everywhere(19) },
      { sku: 'CAP', before: 15, sold: 3, cancelled: 0, after: 12, onMarketplace: everywhere(12) },
      { sku: 'TSHIRT-M', before: 10, sold: 1, cancelled: 0, after: 9, onMarketplace: everywhere(9) },
      { sku: 'TSHIRT-G', before: 8, sold: 1, cancelled: 0, after: 7, onMarketplace: everywhere(7) },
    ]);
    expect(summary.cancelled).toMatchObject({ marketplace: 'meli', status: 'cancelled' });
    expect(summary.shipped).toMatchObject({ marketplace: 'tiktok', trackingNumber: 'AA123456785BR' });
    expect(summary.reconcile).toEqual({ checked: 12, drift: 0 });

    const output = lines.join('\n');
    expect(output).toContain('Summary');
    expect(output).toMatch(/MUG-300 +20 +3 +2 +19 +19 +19 +19/);
    expect(output).not.toContain('✗');
  });
});

describe('pnpm demo with real credentials in the environment', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says what changes and sends nothing without --live', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const lines: string[] = [];
    const summary = await runDemo({
      env: {
        MELI_CLIENT_ID: '1234567890',
        MELI_CLIENT_SECRET: 'not-a-real-secret',
        MELI_REDIRECT_URI: 'https://shop.example.com/meli/callback',
        MELI_USER_ID: '987654',
      },
      print: (line) => lines.push(line),
    });
    expect(summary.ran).toBe(false);
    expect(fetchSpy).not.toHaveBeenCalled();
    const output = lines.join('\n');
    expect(output).toMatch(/Mercado Livre +REAL: api\.mercadolibre\.com, account 987654/);
    expect(output).toMatch(/Shopee +sandbox/);
    expect(output).toContain('LISTED FOR REAL');
    expect(output).toContain('--live');
    expect(output).not.toContain('not-a-real-secret');
  });

  it('refuses half-set credentials, naming the missing variables', async () => {
    await expect(runDemo({ env: { TIKTOK_APP_KEY: 'key' }, print: () => {} })).rejects.toThrow(
      'TIKTOK_APP_SECRET missing',
    );
  });
});
