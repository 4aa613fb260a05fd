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
      {
        sku: 'MUG-300',
        before: 20,
        sold: 3,
        cancelled: 2,
        returned: 0,
        after: 19,
        onMarketplace: everywhere(19),
      },
      {
        sku: 'CAP',
        before: 15,
        sold: 3,
        cancelled: 0,
        returned: 0,
        after: 12,
        onMarketplace: everywhere(12),
      },
      // The delivered T-shirt came back: its unit is in stock again, on every marketplace.
      {
        sku: 'TSHIRT-M',
        before: 10,
        sold: 1,
        cancelled: 0,
        returned: 1,
        after: 10,
        onMarketplace: everywhere(10),
      },
      {
        sku: 'TSHIRT-G',
        before: 8,
        sold: 1,
        cancelled: 0,
        returned: 0,
        after: 7,
        onMarketplace: everywhere(7),
      },
    ]);
    expect(summary.returned).toMatchObject({
      marketplace: 'meli',
      statuses: ['requested', 'accepted', 'received', 'refunded'],
      refund: { currency: 'BRL' },
    });
    expect(summary.cancelled).toMatchObject({ marketplace: 'meli', status: 'cancelled' });
    expect(summary.shipped).toMatchObject({ marketplace: 'tiktok', trackingNumber: 'AA123456785BR' });
    expect(summary.label).toMatchObject({
      marketplace: 'meli',
      format: 'pdf',
      contentType: 'application/pdf',
    });
    expect(summary.label?.bytes).toBeGreaterThan(0);
    // One Shopee order's net proceeds, its lines adding up exactly to the escrow Shopee reports.
    expect(summary.proceeds).toEqual({
      marketplace: 'shopee',
      orderId: expect.stringMatching(/^\d+$/),
      gross: '109.80',
      net: '87.84',
      reportedNet: '87.84',
      currency: 'BRL',
      lines: 2,
      balanced: true,
    });
    expect(summary.reconcile).toEqual({ checked: 12, drift: 0 });
    // A pre-sale question answered from its webhook, and the buyer answered after the sale.
    expect(summary.messages?.question).toMatchObject({
      status: 'ANSWERED',
      text: 'A caneca pode ir ao micro-ondas?',
    });
    expect(summary.messages?.conversation).toMatchObject({ messages: 2, maxLength: 350 });
    // A listing in the category suggested for its title, its required attribute filled...
    expect(summary.requirements?.suggested).toMatchObject({
      categoryId: '101200',
      filled: ['Material = Algodão'],
    });
    expect(summary.requirements?.suggested.productId).toMatch(/^\d+$/);
    // ...and the same listing without it, refused before any call with the attribute named.
    expect(summary.requirements?.refused).toMatchObject({
      sku: 'SHEET-2',
      writes: 0,
      issues: [{ path: 'marketplaceFields.attribute_list.100134', code: 'required_attribute' }],
    });

    const output = lines.join('\n');
    // It says what it is doing before the SDK and the sandboxes are loaded.
    expect(lines[0]).toContain('@mlh demo');
    expect(lines.findIndex((line) => line.includes('Loading the SDK'))).toBeLessThan(
      lines.findIndex((line) => line.startsWith('\n1. ')),
    );
    expect(output).toContain('Summary');
    expect(output).toContain('→ suggested category 101200');
    expect(output).toMatch(/SHEET-2 +refused before any call: .*attribute 100134 "Material" is required/);
    expect(output).toMatch(/shipment \d+: \d+ bytes of application\/pdf/);
    expect(output).toMatch(/net_commission_fee +-15\.37 BRL {2}\(commission\)/);
    expect(output).toContain('adds up to the 87.84 BRL Shopee reports');
    expect(output).toMatch(/MUG-300 +20 +3 +2 +0 +19 +19 +19 +19/);
    expect(output).toMatch(/TSHIRT-M back into stock → 10/);
    expect(output).not.toContain('✗');
    expect(output).toMatch(/Done: the flow took \d+\.\d s; \d+\.\d s since Node started/);
  });

  it('prints what its counters count: one line per order webhook, the others summed on "+" lines', async () => {
    const lines: string[] = [];
    const { marketplaces } = await runDemo({ env: {}, print: (line) => lines.push(line) });
    const names = { meli: 'Mercado Livre', shopee: 'Shopee', tiktok: 'TikTok Shop' } as const;
    let otherShown = 0;
    let copiesShown = 0;
    for (const line of lines) {
      const other = /^ {2}\+ (\d+) other webhooks? .*; (\d+) duplicate cop(?:y|ies) dropped$/.exec(line);
      if (other) {
        otherShown += Number(other[1]);
        copiesShown += Number(other[2]);
      }
      if (/^ {2}webhook .* again: duplicate copy, dropped$/.test(line)) copiesShown += 1;
    }
    let otherCounted = 0;
    let copiesCounted = 0;
    for (const marketplace of ['meli', 'shopee', 'tiktok'] as const) {
      const numbers = marketplaces[marketplace]!;
      const shown = lines.filter((line) =>
        new RegExp(`^ {2}webhook ${names[marketplace]} order\\.\\w+ \\d+ #\\d+$`).test(line),
      ).length;
      expect(shown).toBe(numbers.orderWebhooksAccepted);
      otherCounted += numbers.webhooksAccepted - numbers.orderWebhooksAccepted;
      copiesCounted += numbers.duplicatesDropped;
    }
    expect(otherShown).toBe(otherCounted);
    expect(copiesShown).toBe(copiesCounted);
    // Two lines about the same order are two distinct notifications (#1, #2), never one printed twice.
    const accepted = lines.filter((line) => /^ {2}webhook .* #\d+$/.test(line));
    expect(new Set(accepted).size).toBe(accepted.length);
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
