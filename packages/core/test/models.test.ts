import {
  addMoney,
  money,
  multiplyMoney,
  normalizeProduct,
  Order,
  type OrderItem,
  Product,
  parseOrThrow,
  Shipment,
  sumMoney,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

/** The paths of the bad fields named by the ValidationError that `run` throws. */
function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    for (const issue of issues) expect((error as Error).message).toContain(issue.path);
    return issues.map((i) => i.path);
  }
  throw new Error('expected a ValidationError');
}

const tee = {
  sku: 'TEE',
  title: 'T-shirt',
  variants: [
    { sku: 'TEE-S', price: money('59.90', 'BRL'), quantity: 4, attributes: { size: 'S' } },
    { sku: 'TEE-M', price: money('49.90', 'BRL'), quantity: 6, attributes: { size: 'M' } },
  ],
};

describe('Product', () => {
  it('gives a simple product one implicit variant carrying its SKU, price and stock', () => {
    const mug = normalizeProduct({ sku: 'MUG', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 });
    expect(mug.variants).toEqual([
      { sku: 'MUG', price: { amount: '29.90', currency: 'BRL' }, quantity: 5, attributes: {} },
    ]);
    expect(mug).toMatchObject({ status: 'active', description: '', images: [], attributes: {} });
  });

  it('derives the price (lowest) and the stock (sum) from the variants', () => {
    const product = normalizeProduct(tee);
    expect(product.price).toEqual({ amount: '49.90', currency: 'BRL' });
    expect(product.quantity).toBe(10);
  });

  it('keeps fields it does not know, so nothing a marketplace sent is lost', () => {
    const product = normalizeProduct({ ...tee, warranty: '90 days' });
    expect((product as Record<string, unknown>).warranty).toBe('90 days');
  });

  it('refuses duplicate SKUs, mixed currencies and a total stock that disagrees with the variants', () => {
    const paths = issuesOf(() =>
      parseOrThrow(
        Product,
        {
          ...normalizeProduct(tee),
          quantity: 11,
          variants: [
            { sku: 'A', price: money('1', 'BRL'), quantity: 5, attributes: {} },
            { sku: 'A', price: money('1', 'USD'), quantity: 5, attributes: {} },
          ],
        },
        'product',
      ),
    );
    expect(paths).toEqual(['variants.1.sku', 'variants.1.price.currency', 'quantity']);
  });

  it('names every bad field of a product input, with its path', () => {
    const paths = issuesOf(() =>
      normalizeProduct({
        sku: '',
        title: '',
        images: ['not a url'],
        variants: [{ sku: 'X', price: { amount: '1,50', currency: 'brl' }, quantity: -1 }],
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'sku',
        'title',
        'images.0',
        'variants.0.price.amount',
        'variants.0.price.currency',
        'variants.0.quantity',
      ]),
    );
  });

  it('asks for price and quantity when a product has no variants', () => {
    expect(issuesOf(() => normalizeProduct({ sku: 'MUG', title: 'Mug' }))).toEqual(['price', 'quantity']);
  });
});

function orderOf(items: OrderItem[], shipping = money('0.20', 'BRL')) {
  const subtotal = sumMoney(
    items.map((i) => i.total),
    'BRL',
  );
  return {
    externalId: '2000001',
    marketplace: 'meli',
    accountId: '123',
    items,
    currency: 'BRL',
    subtotal,
    shippingCost: shipping,
    tax: money('0', 'BRL'),
    total: addMoney(subtotal, shipping),
    status: 'paid',
    rawStatus: 'paid',
    paymentStatus: 'paid',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:05:00-03:00',
  };
}

describe('Order', () => {
  const line: OrderItem = {
    productExternalId: 'MLB1',
    sku: 'MUG',
    title: 'Mug',
    quantity: 3,
    unitPrice: money('0.10', 'BRL'),
    total: multiplyMoney(money('0.10', 'BRL'), 3),
  };

  it('totals 3 × 0.10 plus 0.20 shipping to exactly 0.50', () => {
    const order = Order.parse(orderOf([line]));
    expect(order.total).toEqual({ amount: '0.50', currency: 'BRL' });
    expect(order.shipmentIds).toEqual([]);
    expect(order.buyer).toEqual({});
  });

  it('keeps the marketplace status and raw payload next to the normalized one', () => {
    const order = Order.parse({
      ...orderOf([line]),
      status: 'cancelled',
      rawStatus: 'cancelled',
      raw: { id: 1 },
    });
    expect(order).toMatchObject({ status: 'cancelled', rawStatus: 'cancelled', raw: { id: 1 } });
  });

  it('refuses amounts in another currency than the order, an empty order and an unknown status', () => {
    expect(
      issuesOf(() => parseOrThrow(Order, { ...orderOf([line]), tax: money('0', 'USD') }, 'order')),
    ).toEqual(['tax.currency']);
    const paths = issuesOf(() =>
      parseOrThrow(
        Order,
        { ...orderOf([{ ...line, unitPrice: money('0.10', 'USD') }]), shippingCost: money('1', 'USD') },
        'order',
      ),
    );
    expect(paths).toEqual(['shippingCost.currency', 'items.0.unitPrice.currency']);
    expect(issuesOf(() => parseOrThrow(Order, { ...orderOf([line]), items: [] }, 'order'))).toEqual([
      'items',
    ]);
    expect(issuesOf(() => parseOrThrow(Order, { ...orderOf([line]), status: 'lost' }, 'order'))).toEqual([
      'status',
    ]);
  });

  it('tells "not reported" (absent) from a reported zero for shipping and tax', () => {
    const { shippingCost: _shipping, tax: _tax, ...unreported } = orderOf([line]);
    const order = Order.parse({ ...unreported, total: money('0.30', 'BRL') });
    expect(order.shippingCost).toBeUndefined();
    expect(order.tax).toBeUndefined();
    expect(Order.parse(orderOf([line])).tax).toEqual({ amount: '0', currency: 'BRL' });
  });

  it('says in words what is wrong with each field, not only where', () => {
    try {
      parseOrThrow(
        Order,
        { ...orderOf([line]), items: [], rawStatus: 7, createdAt: '2026-11-01 10:00' },
        'order',
      );
      expect.unreachable('a ValidationError');
    } catch (error) {
      const messages = Object.fromEntries(
        (error as ValidationError).issues.map((issue) => [issue.path, issue.message]),
      );
      expect(messages).toEqual({
        items: 'Too small: expected array to have >=1 items',
        rawStatus: 'Invalid input: expected string, received number',
        createdAt: 'Invalid ISO datetime',
      });
    }
  });

  it('requires timestamps with an offset', () => {
    expect(
      issuesOf(() => parseOrThrow(Order, { ...orderOf([line]), createdAt: '2026-11-01 10:00' }, 'order')),
    ).toEqual(['createdAt']);
  });
});

describe('Shipment', () => {
  it('defaults its order ids and mode, and keeps raw statuses', () => {
    const shipment = Shipment.parse({
      externalId: '4000001',
      marketplace: 'meli',
      status: 'shipped',
      rawStatus: 'shipped',
      rawSubstatus: 'in_hub',
      trackingNumber: 'BR123',
    });
    expect(shipment).toMatchObject({ orderIds: [], mode: 'unknown', rawSubstatus: 'in_hub' });
  });

  it('refuses a status outside the shared vocabulary', () => {
    expect(
      issuesOf(() =>
        parseOrThrow(
          Shipment,
          { externalId: '1', marketplace: 'shopee', status: 'lost', rawStatus: 'X' },
          'shipment',
        ),
      ),
    ).toEqual(['status']);
  });
});
