import { normalizeProduct, ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import {
  combineUserProductItems,
  MELI_ITEM_STATUS,
  MELI_ORDER_PAYMENT_STATUS,
  MELI_ORDER_STATUS,
  MELI_SHIPMENT_STATUS,
  MeliItem,
  MeliOrder,
  MeliShipment,
  mapMeliItem,
  mapMeliOrder,
  mapMeliShipment,
  meliOrderStatus,
  meliPaymentStatus,
  meliShipmentStatus,
  meliTimestamp,
  productToClassicItem,
  productToClassicUpdate,
  productToUserProductItems,
  validateMeliProduct,
} from '../src/index';
import { classicItem, paidOrder, SELLER, shipment, userProductItem } from './support';

const item = (raw: Record<string, unknown>) => MeliItem.parse(raw);
const order = (raw: Record<string, unknown>) => MeliOrder.parse(raw);

describe('status tables', () => {
  it.each([
    ['confirmed', 'pending', 'pending'],
    ['payment_required', 'pending', 'pending'],
    ['payment_in_process', 'pending', 'pending'],
    ['partially_paid', 'pending', 'pending'],
    ['paid', 'paid', 'paid'],
    ['partially_refunded', 'paid', 'partially_refunded'],
    ['pending_cancel', 'cancelled', 'paid'],
    ['cancelled', 'cancelled', 'failed'],
    ['invalid', 'cancelled', 'failed'],
  ] as const)('order %s → %s, payment %s', (raw, status, payment) => {
    expect(MELI_ORDER_STATUS[raw]).toBe(status);
    expect(MELI_ORDER_PAYMENT_STATUS[raw]).toBe(payment);
    expect(meliOrderStatus({ status: raw, tags: [] })).toBe(status);
    expect(meliPaymentStatus({ status: raw, payments: [] })).toBe(payment);
  });

  it('covers every order status of the reference and nothing else', () => {
    expect(Object.keys(MELI_ORDER_STATUS).sort()).toEqual(
      [
        'cancelled',
        'confirmed',
        'invalid',
        'paid',
        'partially_paid',
        'partially_refunded',
        'payment_in_process',
        'payment_required',
        'pending_cancel',
      ].sort(),
    );
  });

  it('refines a paid order by its shipment and by the delivered tag', () => {
    expect(meliOrderStatus({ status: 'paid', tags: [] }, 'shipped')).toBe('shipped');
    expect(meliOrderStatus({ status: 'paid', tags: [] }, 'delivered')).toBe('delivered');
    expect(meliOrderStatus({ status: 'paid', tags: ['delivered'] })).toBe('delivered');
    expect(meliOrderStatus({ status: 'paid', tags: [] }, 'ready_to_ship')).toBe('paid');
    expect(meliOrderStatus({ status: 'cancelled', tags: [] }, 'delivered')).toBe('cancelled');
  });

  it('reads a cancelled order with a refunded payment as refunded', () => {
    const payments = [{ id: 1, status: 'refunded' }] as never;
    expect(meliPaymentStatus({ status: 'cancelled', payments })).toBe('refunded');
  });

  it.each([
    ['active', 'active'],
    ['paused', 'paused'],
    ['payment_required', 'paused'],
    ['closed', 'inactive'],
    ['under_review', 'inactive'],
    ['inactive', 'inactive'],
    ['not_yet_active', 'inactive'],
    ['programmed', 'inactive'],
    ['pending', 'inactive'],
  ] as const)('item %s → %s', (raw, status) => {
    expect(MELI_ITEM_STATUS[raw]).toBe(status);
    expect(mapMeliItem(item(classicItem({ status: raw }))).status).toBe(status);
  });

  it.each([
    ['pending', null, 'pending'],
    ['handling', 'waiting_for_label_generation', 'pending'],
    ['not_verified', null, 'pending'],
    ['to_be_agreed', null, 'pending'],
    ['active', null, 'pending'],
    ['not_specified', null, 'pending'],
    ['error', null, 'pending'],
    ['ready_to_ship', 'printed', 'ready_to_ship'],
    ['stale_ready_to_ship', null, 'ready_to_ship'],
    ['shipped', 'out_for_delivery', 'shipped'],
    ['stale_shipped', null, 'shipped'],
    ['delivered', null, 'delivered'],
    ['not_delivered', 'returning_to_sender', 'not_delivered'],
    ['not_delivered', 'returned', 'returned'],
    ['cancelled', 'label_expired', 'cancelled'],
    ['closed', null, 'cancelled'],
  ] as const)('shipment %s/%s → %s', (raw, substatus, status) => {
    expect(meliShipmentStatus(raw, substatus)).toBe(status);
    const mapped = mapMeliShipment(MeliShipment.parse(shipment({ status: raw, substatus })));
    expect(mapped.status).toBe(status);
    expect(mapped.rawStatus).toBe(raw);
  });

  it('lists every shipment status of the reference', () => {
    expect(Object.keys(MELI_SHIPMENT_STATUS)).toEqual(
      expect.arrayContaining([
        'pending',
        'handling',
        'ready_to_ship',
        'shipped',
        'delivered',
        'not_delivered',
        'cancelled',
      ]),
    );
  });

  it('reports an unknown status as unknown, never as a guess, and keeps it raw', () => {
    const product = mapMeliItem(item(classicItem({ status: 'brand_new_status' })));
    expect([product.status, product.rawStatus]).toEqual(['unknown', 'brand_new_status']);
    expect(meliShipmentStatus('brand_new_status')).toBe('unknown');
    const mapped = mapMeliShipment(
      MeliShipment.parse(shipment({ status: 'brand_new_status', substatus: 'x' })),
    );
    expect([mapped.status, mapped.rawStatus, mapped.rawSubstatus]).toEqual([
      'unknown',
      'brand_new_status',
      'x',
    ]);
    // A paid order whose shipment is in an unknown state stays paid: nothing is inferred from it.
    expect(meliOrderStatus({ status: 'paid', tags: [] }, 'unknown')).toBe('paid');
    expect(meliOrderStatus({ status: 'brand_new_status', tags: [] })).toBe('unknown');
    expect(meliPaymentStatus({ status: 'brand_new_status', payments: [] })).toBe('unknown');
  });
});

describe('mapMeliItem', () => {
  it('maps a classic listing: variations become variants with their own SKU, stock, attributes and pictures', () => {
    const product = mapMeliItem(item(classicItem()), { description: 'Algodão' });
    expect(product).toMatchObject({
      externalId: 'MLB1001',
      marketplace: 'meli',
      accountId: SELLER,
      title: 'Camiseta básica',
      description: 'Algodão',
      sku: 'TSHIRT',
      price: { amount: '59.90', currency: 'BRL' },
      quantity: 8,
      status: 'active',
      rawStatus: 'active',
      categoryId: 'MLB1234',
      attributes: { BRAND: 'Acme' },
      images: ['https://http2.mlstatic.com/PIC1.jpg', 'https://http2.mlstatic.com/PIC2.jpg'],
      createdAt: '2025-01-10T10:00:00.000-03:00',
    });
    expect(product.variants).toEqual([
      {
        sku: 'TSHIRT-BLK-M',
        externalId: '174997747229',
        price: { amount: '59.90', currency: 'BRL' },
        quantity: 5,
        attributes: { COLOR: 'Preto', SIZE: 'M' },
        images: ['https://http2.mlstatic.com/PIC1.jpg'],
      },
      {
        sku: 'TSHIRT-WHT-M',
        externalId: '174997747230',
        price: { amount: '59.90', currency: 'BRL' },
        quantity: 3,
        attributes: { COLOR: 'Branco', SIZE: 'M' },
        images: ['https://http2.mlstatic.com/PIC2.jpg'],
      },
    ]);
  });

  it('maps a User Products item as one variant whose id is the item id', () => {
    const product = mapMeliItem(item(userProductItem()));
    expect(product.variants).toEqual([
      expect.objectContaining({ sku: 'TSHIRT-BLK-M', externalId: 'MLB2001', quantity: 5 }),
    ]);
    expect(product.attributes).toEqual({ COLOR: 'Preto' });
  });

  it('keeps a 206 gap on the product', () => {
    const product = mapMeliItem(item(classicItem()), { partial: { missing: ['seller_address'] } });
    expect(product.partial).toEqual({ missing: ['seller_address'] });
  });

  it('never makes up a variant SKU: a variation without one has none, a repeated one stays on the first', () => {
    const raw = classicItem({ attributes: [] });
    raw.variations = raw.variations.map((variation) => ({
      ...variation,
      attributes: [{ id: 'SELLER_SKU', value_name: 'SAME' }],
    }));
    const repeated = mapMeliItem(item(raw));
    expect(repeated.variants.map((variant) => variant.sku)).toEqual(['SAME', undefined]);
    // The product's own SKU is required by the model: the item id stands in for it.
    expect(repeated.sku).toBe('MLB1001');

    raw.variations = raw.variations.map((variation) => ({ ...variation, attributes: [] }));
    const none = mapMeliItem(item(raw));
    expect(none.variants.map((variant) => [variant.sku, variant.externalId])).toEqual([
      [undefined, '174997747229'],
      [undefined, '174997747230'],
    ]);
    const single = mapMeliItem(item(classicItem({ attributes: [], variations: [] })));
    expect(single.variants.map((variant) => variant.sku)).toEqual([undefined]);
  });

  it('refuses an item without currency or any price rather than inventing them', () => {
    const base = classicItem({ currency_id: null, price: null });
    const raw = { ...base, variations: base.variations.map((variation) => ({ ...variation, price: null })) };
    let error: unknown;
    try {
      mapMeliItem(item(raw));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['currency_id', 'price']);
  });

  it('reads a variant SKU kept in seller_custom_field', () => {
    const raw = classicItem();
    raw.variations = raw.variations.map((variation, index) => ({
      ...variation,
      attributes: [],
      seller_custom_field: `CUSTOM-${index}`,
    }));
    expect(mapMeliItem(item(raw)).variants.map((variant) => variant.sku)).toEqual(['CUSTOM-0', 'CUSTOM-1']);
  });

  it('normalizes pack dates without a colon in the offset', () => {
    expect(meliTimestamp('2024-08-15T17:38:30.000-0400')).toBe('2024-08-15T17:38:30.000-04:00');
    expect(meliTimestamp('not a date')).toBeUndefined();
  });
});

describe('product → item payloads', () => {
  const shirt = normalizeProduct({
    title: 'Camiseta básica',
    sku: 'TSHIRT',
    categoryId: 'MLB1234',
    description: 'Algodão',
    images: ['https://cdn.example.com/shirt.jpg'],
    attributes: { BRAND: 'Acme' },
    variants: [
      {
        sku: 'TSHIRT-BLK-M',
        price: { amount: '59.90', currency: 'BRL' },
        quantity: 5,
        attributes: { COLOR: 'Preto', SIZE: 'M' },
        barcode: '7891234567895',
      },
      {
        sku: 'TSHIRT-WHT-M',
        price: { amount: '59.90', currency: 'BRL' },
        quantity: 3,
        attributes: { COLOR: 'Branco', SIZE: 'M' },
      },
    ],
  });

  it('builds a classic listing with title and variations carrying SELLER_SKU and stock', () => {
    const body = productToClassicItem(shirt);
    expect(body).toMatchObject({
      title: 'Camiseta básica',
      category_id: 'MLB1234',
      price: 59.9,
      currency_id: 'BRL',
      available_quantity: 8,
      buying_mode: 'buy_it_now',
      listing_type_id: 'gold_special',
      condition: 'new',
      pictures: [{ source: 'https://cdn.example.com/shirt.jpg' }],
    });
    expect(body.attributes).toEqual([
      { id: 'BRAND', value_name: 'Acme' },
      { id: 'SELLER_SKU', value_name: 'TSHIRT' },
    ]);
    expect(body.variations).toEqual([
      {
        attribute_combinations: [
          { id: 'COLOR', value_name: 'Preto' },
          { id: 'SIZE', value_name: 'M' },
        ],
        price: 59.9,
        available_quantity: 5,
        picture_ids: [],
        attributes: [
          { id: 'SELLER_SKU', value_name: 'TSHIRT-BLK-M' },
          { id: 'GTIN', value_name: '7891234567895' },
        ],
      },
      expect.objectContaining({ available_quantity: 3 }),
    ]);
    expect(body).not.toHaveProperty('family_name');
  });

  it('builds one User Products item per variant, with family_name and no title or variations', () => {
    const bodies = productToUserProductItems(shirt);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(body.family_name).toBe('Camiseta básica');
      expect(body).not.toHaveProperty('title');
      expect(body).not.toHaveProperty('variations');
    }
    expect(bodies[0]?.attributes).toEqual([
      { id: 'BRAND', value_name: 'Acme' },
      { id: 'COLOR', value_name: 'Preto' },
      { id: 'SIZE', value_name: 'M' },
      { id: 'SELLER_SKU', value_name: 'TSHIRT-BLK-M' },
      { id: 'GTIN', value_name: '7891234567895' },
    ]);
    expect(bodies.map((body) => body.available_quantity)).toEqual([5, 3]);
  });

  it('validates Mercado Livre rules: classic variations share one price, User Products may differ', () => {
    const differing = normalizeProduct({
      ...shirt,
      variants: [
        { ...shirt.variants[0], price: { amount: '59.90', currency: 'BRL' } },
        { ...shirt.variants[1], price: { amount: '64.90', currency: 'BRL' } },
      ],
    });
    expect(validateMeliProduct(differing, { model: 'classic' })).toEqual([
      expect.objectContaining({ path: 'variants.1.price.amount' }),
    ]);
    expect(validateMeliProduct(differing, { model: 'user_products' })).toEqual([]);
  });

  it('names each field that breaks a rule', () => {
    const bad = normalizeProduct({
      title: 'x'.repeat(61),
      sku: 'A',
      price: { amount: '10.999', currency: 'ARS' },
      quantity: 1,
    });
    const paths = validateMeliProduct(bad, {
      model: 'classic',
      siteId: 'MLB',
      currencies: { MLB: 'BRL' },
    }).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'categoryId',
        'price.currency',
        'title',
        'images',
        'price.amount',
        'variants.0.price.amount',
      ]),
    );
  });

  it('updates a classic listing with every variation id it keeps, new variants as new variations', () => {
    const current = item(classicItem());
    const { price: _price, quantity: _quantity, ...mapped } = mapMeliItem(current);
    const product = normalizeProduct({
      ...mapped,
      variants: [
        { ...mapMeliItem(current).variants[0], price: { amount: '49.9', currency: 'BRL' } },
        {
          sku: 'TSHIRT-BLU-M',
          price: { amount: '49.9', currency: 'BRL' },
          quantity: 2,
          attributes: { COLOR: 'Azul', SIZE: 'M' },
        },
      ],
    });
    const plan = productToClassicUpdate(current, product);
    expect(plan.addsVariations).toBe(true);
    expect(plan.removedVariationIds).toEqual(['174997747230']);
    expect(plan.body).not.toHaveProperty('title');
    expect(plan.body.pictures).toEqual([{ id: 'PIC1' }, { id: 'PIC2' }]);
    expect(plan.body.variations).toEqual([
      expect.objectContaining({ id: 174997747229, price: 49.9, picture_ids: ['PIC1'] }),
      expect.objectContaining({ available_quantity: 2, attribute_combinations: expect.any(Array) }),
    ]);
  });

  it('combines the items of a User Products family into one product', () => {
    const family = combineUserProductItems(
      [
        item(userProductItem()),
        item(
          userProductItem({
            id: 'MLB2002',
            price: 64.9,
            available_quantity: 2,
            attributes: [
              { id: 'COLOR', value_name: 'Branco' },
              { id: 'SELLER_SKU', value_name: 'TSHIRT-WHT-M' },
            ],
          }),
        ),
      ],
      { title: 'Camiseta básica' },
    );
    expect(family).toMatchObject({ externalId: 'MLB2001', title: 'Camiseta básica', quantity: 7 });
    expect(family.price).toEqual({ amount: '59.90', currency: 'BRL' });
    expect(family.variants.map((variant) => [variant.externalId, variant.sku, variant.attributes])).toEqual([
      ['MLB2001', 'TSHIRT-BLK-M', { COLOR: 'Preto' }],
      ['MLB2002', 'TSHIRT-WHT-M', { COLOR: 'Branco' }],
    ]);
  });
});

describe('mapMeliOrder', () => {
  it('keeps every amount exact: 3 × 19.90 + 40.29, 0.10 tax and 10.20 shipping total 110.29', () => {
    const mapped = mapMeliOrder(order(paidOrder()), {
      accountId: SELLER,
      shipment: MeliShipment.parse(shipment()),
    });
    // The float sum of the same numbers is not 110.29:
    expect(99.99 + 0.1 + 10.2).not.toBe(110.29);
    expect(19.9 * 3).not.toBe(59.7);
    expect(mapped.items.map((line) => line.total.amount)).toEqual(['59.70', '40.29']);
    expect(mapped.subtotal).toEqual({ amount: '99.99', currency: 'BRL' });
    expect(mapped.tax).toEqual({ amount: '0.10', currency: 'BRL' });
    expect(mapped.shippingCost).toEqual({ amount: '10.20', currency: 'BRL' });
    expect(mapped.total).toEqual({ amount: '110.29', currency: 'BRL' });
  });

  it('leaves tax and shipping absent when Mercado Livre does not report them, never a zero that looks like data', () => {
    const unreported = paidOrder({
      status: 'payment_required',
      taxes: { amount: null, currency_id: null, id: null },
      payments: [],
    });
    const mapped = mapMeliOrder(order(unreported), { accountId: SELLER });
    expect(mapped.tax).toBeUndefined();
    expect(mapped.shippingCost).toBeUndefined();
    expect(mapped.total).toEqual({ amount: '99.99', currency: 'BRL' });
    const zeroTax = mapMeliOrder(order(paidOrder({ taxes: { amount: 0, currency_id: 'BRL', id: null } })), {
      accountId: SELLER,
    });
    expect(zeroTax.tax).toEqual({ amount: '0.00', currency: 'BRL' });
  });

  it('maps ids, lines, buyer, shipment link, address and timestamps', () => {
    const mapped = mapMeliOrder(order(paidOrder()), {
      accountId: SELLER,
      shipment: MeliShipment.parse(shipment()),
    });
    expect(mapped).toMatchObject({
      externalId: '2000009713473608',
      marketplace: 'meli',
      accountId: SELLER,
      sellerId: SELLER,
      buyer: { id: '6427433', nickname: 'COMPRADOR_TESTE' },
      status: 'paid',
      rawStatus: 'paid',
      paymentStatus: 'paid',
      shipmentIds: ['44028792542'],
      packId: '2000006556183755',
      trackingNumber: 'BR123456789',
      createdAt: '2025-11-01T09:34:59.000-04:00',
      updatedAt: '2025-11-01T09:37:20.000-04:00',
      paidAt: '2025-11-01T09:35:40.000-04:00',
      shippingAddress: {
        name: 'Maria Silva',
        line1: 'Rua das Flores 123',
        line2: 'apto 42',
        number: '123',
        neighborhood: 'Bela Vista',
        city: 'São Paulo',
        state: 'São Paulo',
        postalCode: '01310-100',
        country: 'BR',
      },
    });
    expect(mapped.items[0]).toMatchObject({
      productExternalId: 'MLB1001',
      variantExternalId: '174997747229',
      sku: 'TSHIRT-BLK-M',
      quantity: 3,
      unitPrice: { amount: '19.90', currency: 'BRL' },
    });
  });

  it('without the shipment, takes shipping cost from the approved payments', () => {
    const mapped = mapMeliOrder(order(paidOrder()), { accountId: SELLER });
    expect(mapped.shippingCost?.amount).toBe('10.20');
    expect(mapped.shippingAddress).toBeUndefined();
    expect(mapped.total.amount).toBe('110.29');
  });

  it('reads shipped and delivered from the shipment', () => {
    const shipped = MeliShipment.parse(
      shipment({
        status: 'delivered',
        substatus: null,
        status_history: { date_delivered: '2025-11-03T12:00:00.000-03:00' },
      }),
    );
    const mapped = mapMeliOrder(order(paidOrder()), { accountId: SELLER, shipment: shipped });
    expect(mapped.status).toBe('delivered');
    expect(mapped.deliveredAt).toBe('2025-11-03T12:00:00.000-03:00');
  });
});

describe('mapMeliShipment', () => {
  it('links the orders given (the shipment has no order_id) and reads mode, tracking and cost', () => {
    const mapped = mapMeliShipment(MeliShipment.parse(shipment()), {
      accountId: SELLER,
      orderIds: ['2000009713473608'],
      carrier: { name: 'Correios', url: 'https://rastreamento.correios.com.br/BR123456789' },
    });
    expect(mapped).toMatchObject({
      externalId: '44028792542',
      orderIds: ['2000009713473608'],
      status: 'ready_to_ship',
      rawStatus: 'ready_to_ship',
      rawSubstatus: 'printed',
      carrier: 'Correios',
      trackingNumber: 'BR123456789',
      trackingUrl: 'https://rastreamento.correios.com.br/BR123456789',
      mode: 'marketplace',
      cost: { amount: '10.20', currency: 'BRL' },
    });
    expect(mapMeliShipment(MeliShipment.parse(shipment({ logistic: { mode: 'me1' } }))).mode).toBe('seller');
  });
});
