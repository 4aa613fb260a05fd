import { Order, Product, Shipment } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import {
  groupLineItems,
  mapTikTokOrderStatus,
  mapTikTokPackageStatus,
  mapTikTokProductStatus,
  TIKTOK_ORDER_STATUS_MAP,
  TIKTOK_PACKAGE_STATUS_MAP,
  TIKTOK_PRODUCT_STATUS_MAP,
  toCoreOrder,
  toCoreProduct,
  toCoreShipment,
  toTikTokProductInput,
} from '../src/mappers';
import { TikTokOrder, TikTokPackage, TikTokProduct } from '../src/schemas';

describe('status tables', () => {
  it('orders: every documented status, and the webhook spelling CANCEL', () => {
    expect(TIKTOK_ORDER_STATUS_MAP).toEqual({
      UNPAID: 'pending',
      ON_HOLD: 'paid',
      AWAITING_SHIPMENT: 'paid',
      PARTIALLY_SHIPPING: 'paid',
      AWAITING_COLLECTION: 'paid',
      IN_TRANSIT: 'shipped',
      DELIVERED: 'delivered',
      COMPLETED: 'delivered',
      CANCELLED: 'cancelled',
      CANCEL: 'cancelled',
    });
  });

  it('orders: an unknown status is inferred only from a milestone that proves it, else unknown', () => {
    expect(mapTikTokOrderStatus('SOMETHING_NEW', { cancel_time: 1 })).toBe('cancelled');
    expect(mapTikTokOrderStatus('SOMETHING_NEW', { delivery_time: 1 })).toBe('delivered');
    expect(mapTikTokOrderStatus('SOMETHING_NEW', { collection_time: 1 })).toBe('shipped');
    expect(mapTikTokOrderStatus('SOMETHING_NEW')).toBe('unknown');
  });

  it('orders: an unknown status with only a payment time is unknown, paid, with the raw word kept', () => {
    const order = toCoreOrder(TikTokOrder.parse({ ...rawOrder, status: 'SOMETHING_NEW' }), 'shop-1');
    expect(order).toMatchObject({ status: 'unknown', rawStatus: 'SOMETHING_NEW', paymentStatus: 'paid' });
    const unpaid = toCoreOrder(
      TikTokOrder.parse({ ...rawOrder, status: 'SOMETHING_NEW', paid_time: undefined }),
      'shop-1',
    );
    expect(unpaid).toMatchObject({ status: 'unknown', paymentStatus: 'unknown' });
  });

  it('products: only ACTIVATE is on sale; seller-deactivated is paused', () => {
    expect(TIKTOK_PRODUCT_STATUS_MAP).toEqual({
      ACTIVATE: 'active',
      SELLER_DEACTIVATED: 'paused',
      DRAFT: 'inactive',
      PENDING: 'inactive',
      FAILED: 'inactive',
      PLATFORM_DEACTIVATED: 'inactive',
      FREEZE: 'inactive',
      DELETED: 'inactive',
    });
    expect(mapTikTokProductStatus('LIVE')).toBe('unknown');
    expect(mapTikTokProductStatus(undefined)).toBe('unknown');
  });

  it('packages', () => {
    expect(TIKTOK_PACKAGE_STATUS_MAP).toEqual({
      TO_FULFILL: 'pending',
      PROCESSING: 'ready_to_ship',
      FULFILLING: 'shipped',
      COMPLETED: 'delivered',
      CANCELLED: 'cancelled',
    });
    expect(mapTikTokPackageStatus(undefined)).toBe('unknown');
    expect(mapTikTokPackageStatus('SOMETHING_NEW')).toBe('unknown');
  });
});

const rawProduct = TikTokProduct.parse({
  id: '1729592969712207008',
  title: 'Cotton Ankle Socks 5-Pack',
  status: 'SELLER_DEACTIVATED',
  description: '<p>Breathable</p>',
  category_chains: [
    { id: '600001', parent_id: '0', is_leaf: false },
    { id: '601226', parent_id: '600001', is_leaf: true },
  ],
  main_images: [{ uri: 'tos-img/abc', urls: ['https://p16.example.com/abc.jpg'] }],
  create_time: 1700000000,
  update_time: 1700000500,
  skus: [
    {
      id: '1729592969712207013',
      seller_sku: 'SOCK-WHT',
      price: { currency: 'GBP', sale_price: '12.99', tax_exclusive_price: '10.83' },
      inventory: [
        { warehouse_id: 'w1', quantity: 25 },
        { warehouse_id: 'w2', quantity: 5 },
      ],
      sales_attributes: [{ id: '100000', name: 'Color', value_id: '1', value_name: 'White' }],
      identifier_code: { code: '5012345678900', type: 'GTIN' },
    },
    {
      id: '1729592969712207014',
      seller_sku: 'SOCK-BLK',
      price: { currency: 'GBP', sale_price: '9.10' },
      inventory: [{ warehouse_id: 'w1', quantity: 3 }],
      sales_attributes: [{ id: '100000', name: 'Color', value_id: '2', value_name: 'Black' }],
    },
  ],
});

describe('toCoreProduct', () => {
  it('maps SKUs to variants with exact prices, stock summed over warehouses, and rawStatus', () => {
    const product = toCoreProduct(rawProduct, 'shop-1');
    expect(Product.safeParse(product).success).toBe(true);
    expect(product).toMatchObject({
      externalId: '1729592969712207008',
      marketplace: 'tiktok',
      accountId: 'shop-1',
      status: 'paused',
      rawStatus: 'SELLER_DEACTIVATED',
      categoryId: '601226',
      price: { amount: '9.10', currency: 'GBP' },
      quantity: 33,
      sku: 'SOCK-WHT',
      images: ['https://p16.example.com/abc.jpg'],
      createdAt: '2023-11-14T22:13:20.000Z',
    });
    expect(product.variants).toEqual([
      {
        sku: 'SOCK-WHT',
        externalId: '1729592969712207013',
        price: { amount: '12.99', currency: 'GBP' },
        quantity: 30,
        attributes: { Color: 'White' },
        barcode: '5012345678900',
      },
      {
        sku: 'SOCK-BLK',
        externalId: '1729592969712207014',
        price: { amount: '9.10', currency: 'GBP' },
        quantity: 3,
        attributes: { Color: 'Black' },
      },
    ]);
  });
});

describe('toCoreProduct, what TikTok leaves out or words differently', () => {
  it('reads the status from product_status when status is absent', () => {
    const { status: _status, ...rest } = rawProduct;
    const product = toCoreProduct(TikTokProduct.parse({ ...rest, product_status: 'ACTIVATE' }), 'shop-1');
    expect(product).toMatchObject({ status: 'active', rawStatus: 'ACTIVATE' });
  });

  it('a product without any status is unknown, never inactive', () => {
    const { status: _status, ...rest } = rawProduct;
    const product = toCoreProduct(TikTokProduct.parse(rest), 'shop-1');
    expect(product.status).toBe('unknown');
    expect(product.rawStatus).toBeUndefined();
    expect(Product.safeParse(product).success).toBe(true);
  });

  it('writes prices in the currency scale: BRL "29.9" is "29.90", and JPY stays whole', () => {
    const product = toCoreProduct(
      TikTokProduct.parse({
        id: '1',
        status: 'ACTIVATE',
        skus: [
          { id: 's1', seller_sku: 'A', price: { currency: 'BRL', sale_price: '29.9' } },
          { id: 's2', seller_sku: 'B', price: { currency: 'BRL', sale_price: '30' } },
        ],
      }),
      'shop-1',
    );
    expect(product.variants.map((v) => v.price.amount)).toEqual(['29.90', '30.00']);
    expect(product.price).toEqual({ amount: '29.90', currency: 'BRL' });
    const yen = toCoreProduct(
      TikTokProduct.parse({
        id: '2',
        skus: [{ id: 's', price: { currency: 'JPY', sale_price: '1500.00' } }],
      }),
      'shop-1',
    );
    expect(yen.price).toEqual({ amount: '1500', currency: 'JPY' });
  });

  it('refuses to make up a price or a currency', () => {
    expect(() => toCoreProduct(TikTokProduct.parse({ id: '1', skus: [] }), 'shop-1')).toThrow(
      expect.objectContaining({ kind: 'validation', issues: [expect.objectContaining({ path: 'skus' })] }),
    );
    expect(() =>
      toCoreProduct(
        TikTokProduct.parse({ id: '1', skus: [{ id: 's', price: { currency: 'GBP' } }] }),
        'shop-1',
      ),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'skus.0.price' })] }));
    const noCurrency = TikTokProduct.parse({ id: '1', skus: [{ id: 's', price: { sale_price: '5.00' } }] });
    expect(() => toCoreProduct(noCurrency, 'shop-1')).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'skus.0.price.currency' })] }),
    );
    expect(toCoreProduct(noCurrency, 'shop-1', 'GBP').price).toEqual({ amount: '5.00', currency: 'GBP' });
  });
});

describe('toTikTokProductInput', () => {
  it('builds the create body: request price shape, stock in the warehouse, sales attributes, identifier', () => {
    const product = toCoreProduct(rawProduct, 'shop-1');
    const body = toTikTokProductInput(product, {
      warehouseId: 'w9',
      imageUri: (url) => `uri:${url}`,
      fields: { package_weight: { value: '0.30', unit: 'KILOGRAM' }, warehouse_id: 'ignored-here' },
    });
    expect(body).toEqual({
      external_product_id: 'SOCK-WHT',
      package_weight: { value: '0.30', unit: 'KILOGRAM' },
      title: 'Cotton Ankle Socks 5-Pack',
      description: '<p>Breathable</p>',
      category_id: '601226',
      main_images: [{ uri: 'uri:https://p16.example.com/abc.jpg' }],
      skus: [
        {
          seller_sku: 'SOCK-WHT',
          price: { amount: '12.99', currency: 'GBP' },
          inventory: [{ warehouse_id: 'w9', quantity: 30 }],
          sales_attributes: [{ name: 'Color', value_name: 'White' }],
          identifier_code: { code: '5012345678900', type: 'GTIN' },
        },
        {
          seller_sku: 'SOCK-BLK',
          price: { amount: '9.10', currency: 'GBP' },
          inventory: [{ warehouse_id: 'w9', quantity: 3 }],
          sales_attributes: [{ name: 'Color', value_name: 'Black' }],
        },
      ],
    });
  });

  it('keeps existing SKU ids on edit', () => {
    const product = toCoreProduct(rawProduct, 'shop-1');
    const body = toTikTokProductInput(product, {
      warehouseId: 'w9',
      imageUri: (url) => url,
      skuIds: new Map([['SOCK-WHT', '1729592969712207013']]),
    }) as { skus: Array<{ id?: string }> };
    expect(body.skus.map((s) => s.id)).toEqual(['1729592969712207013', '1729592969712207014']);
  });
});

const rawOrder = TikTokOrder.parse({
  id: '576461413038785752',
  status: 'AWAITING_SHIPMENT',
  create_time: 1700000000,
  update_time: 1700000600,
  paid_time: 1700000100,
  user_id: 'buyer-1',
  buyer_email: 'v1abc@scs.tiktokw.us',
  payment: {
    currency: 'USD',
    original_total_product_price: '30.30',
    seller_discount: '0.10',
    platform_discount: '0.20',
    sub_total: '30.00',
    shipping_fee: '4.99',
    tax: '2.41',
    total_amount: '37.40',
  },
  recipient_address: {
    name: 'Jane Doe',
    phone_number: '(+1)213*****00',
    address_line1: '1 Main St',
    address_line2: 'Apt 2',
    postal_code: '90001',
    region_code: 'US',
    full_address: '1 Main St, Apt 2, Los Angeles, CA 90001',
    district_info: [
      { address_level: 'L0', address_level_name: 'Country', address_name: 'United States' },
      { address_level: 'L1', address_level_name: 'State', address_name: 'California' },
      { address_level: 'L2', address_level_name: 'County', address_name: 'Los Angeles County' },
      { address_level: 'L3', address_level_name: 'City', address_name: 'Los Angeles' },
    ],
  },
  line_items: [
    {
      id: 'li-1',
      product_id: 'p1',
      sku_id: 's1',
      seller_sku: 'MUG',
      product_name: 'Mug',
      sale_price: '10.10',
      original_price: '10.10',
      currency: 'USD',
      package_id: 'pkg-1',
    },
    {
      id: 'li-2',
      product_id: 'p1',
      sku_id: 's1',
      seller_sku: 'MUG',
      product_name: 'Mug',
      sale_price: '10.10',
      original_price: '10.10',
      currency: 'USD',
      package_id: 'pkg-1',
    },
    {
      id: 'li-3',
      product_id: 'p2',
      sku_id: 's2',
      seller_sku: 'CUP',
      product_name: 'Cup',
      sale_price: '9.80',
      original_price: '10.10',
      currency: 'USD',
    },
  ],
  packages: [{ id: 'pkg-1' }],
});

describe('toCoreOrder', () => {
  it('maps an order with exact money, grouped units, seconds to ISO, and packages as shipments', () => {
    const order = toCoreOrder(rawOrder, 'shop-1');
    expect(Order.safeParse(order).success).toBe(true);
    expect(order).toMatchObject({
      externalId: '576461413038785752',
      marketplace: 'tiktok',
      status: 'paid',
      rawStatus: 'AWAITING_SHIPMENT',
      paymentStatus: 'paid',
      currency: 'USD',
      subtotal: { amount: '30.00', currency: 'USD' },
      shippingCost: { amount: '4.99', currency: 'USD' },
      tax: { amount: '2.41', currency: 'USD' },
      discount: { amount: '0.30', currency: 'USD' },
      total: { amount: '37.40', currency: 'USD' },
      shipmentIds: ['pkg-1'],
      createdAt: '2023-11-14T22:13:20.000Z',
      paidAt: '2023-11-14T22:15:00.000Z',
      buyer: { id: 'buyer-1', email: 'v1abc@scs.tiktokw.us' },
      shippingAddress: {
        name: 'Jane Doe',
        line1: '1 Main St',
        line2: 'Apt 2',
        city: 'Los Angeles',
        state: 'California',
        postalCode: '90001',
        country: 'US',
      },
    });
    expect(order.items).toEqual([
      {
        externalId: 'li-1',
        lineItemIds: ['li-1', 'li-2'],
        productExternalId: 'p1',
        variantExternalId: 's1',
        sku: 'MUG',
        title: 'Mug',
        quantity: 2,
        unitPrice: { amount: '10.10', currency: 'USD' },
        total: { amount: '20.20', currency: 'USD' },
      },
      {
        externalId: 'li-3',
        lineItemIds: ['li-3'],
        productExternalId: 'p2',
        variantExternalId: 's2',
        sku: 'CUP',
        title: 'Cup',
        quantity: 1,
        unitPrice: { amount: '10.10', currency: 'USD' },
        total: { amount: '9.80', currency: 'USD' },
      },
    ]);
  });

  it('an unpaid order has no address and a pending payment; a cancelled paid one is refunded', () => {
    const unpaid = toCoreOrder(
      TikTokOrder.parse({
        ...rawOrder,
        status: 'UNPAID',
        paid_time: undefined,
        recipient_address: undefined,
      }),
      'shop-1',
    );
    expect(unpaid).toMatchObject({ status: 'pending', paymentStatus: 'pending' });
    expect(unpaid.shippingAddress).toBeUndefined();
    const cancelled = toCoreOrder(
      TikTokOrder.parse({ ...rawOrder, status: 'CANCELLED', cancel_time: 1700001000 }),
      'shop-1',
    );
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      paymentStatus: 'refunded',
      cancelledAt: '2023-11-14T22:30:00.000Z',
    });
  });

  it('reads district_info by level name: in Brazil L2 is the city and L3 the district (bairro)', () => {
    const order = toCoreOrder(
      TikTokOrder.parse({
        ...rawOrder,
        payment: { ...rawOrder.payment, currency: 'BRL' },
        recipient_address: {
          name: 'Maria Silva',
          address_line1: 'Rua Augusta, 100',
          postal_code: '01305-000',
          region_code: 'BR',
          district_info: [
            { address_level: 'L0', address_level_name: 'Country', address_name: 'Brasil' },
            { address_level: 'L1', address_level_name: 'State', address_name: 'São Paulo' },
            { address_level: 'L2', address_level_name: 'City', address_name: 'São Paulo' },
            { address_level: 'L3', address_level_name: 'District', address_name: 'Consolação' },
          ],
        },
      }),
      'shop-1',
    );
    expect(order.shippingAddress).toMatchObject({
      state: 'São Paulo',
      city: 'São Paulo',
      neighborhood: 'Consolação',
      country: 'BR',
    });
  });

  it('order amounts come in the currency scale, sums included', () => {
    const order = toCoreOrder(
      TikTokOrder.parse({
        ...rawOrder,
        payment: { currency: 'BRL', total_amount: '59.8', shipping_fee: '0', tax: '0', seller_discount: '0' },
        line_items: [
          {
            id: 'a',
            product_id: 'p',
            sku_id: 's',
            sale_price: '29.9',
            original_price: '29.9',
            currency: 'BRL',
          },
          {
            id: 'b',
            product_id: 'p',
            sku_id: 's',
            sale_price: '29.9',
            original_price: '29.9',
            currency: 'BRL',
          },
        ],
      }),
      'shop-1',
    );
    expect(order.items[0]).toMatchObject({
      unitPrice: { amount: '29.90', currency: 'BRL' },
      total: { amount: '59.80', currency: 'BRL' },
    });
    expect([order.subtotal, order.total, order.shippingCost, order.discount].map((m) => m?.amount)).toEqual([
      '59.80',
      '59.80',
      '0.00',
      '0.00',
    ]);
  });

  it('fees TikTok did not send are absent ("not reported"), never a zero that looks like data', () => {
    const silent = toCoreOrder(
      TikTokOrder.parse({ ...rawOrder, payment: { currency: 'USD', sub_total: '10', total_amount: '10' } }),
      'shop-1',
    );
    expect(Order.safeParse(silent).success).toBe(true);
    expect([silent.shippingCost, silent.tax, silent.discount]).toEqual([undefined, undefined, undefined]);
    const partial = toCoreOrder(
      TikTokOrder.parse({
        ...rawOrder,
        payment: { currency: 'USD', total_amount: '10', shipping_fee: '0', platform_discount: '1.5' },
      }),
      'shop-1',
    );
    expect(partial.shippingCost).toEqual({ amount: '0.00', currency: 'USD' });
    expect(partial.tax).toBeUndefined();
    expect(partial.discount).toEqual({ amount: '1.50', currency: 'USD' });
  });

  it('a line item without any price is refused instead of priced 0', () => {
    const raw = TikTokOrder.parse({
      ...rawOrder,
      line_items: [{ id: 'li-9', product_id: 'p', currency: 'USD' }],
    });
    expect(() => toCoreOrder(raw, 'shop-1')).toThrow(
      expect.objectContaining({ kind: 'validation', message: expect.stringContaining('li-9') }),
    );
  });

  it('an order without any currency is refused instead of given a made-up one', () => {
    const raw = TikTokOrder.parse({
      ...rawOrder,
      payment: { total_amount: '5.00' },
      line_items: [{ id: 'a', product_id: 'p', sale_price: '5.00' }],
    });
    expect(() => toCoreOrder(raw, 'shop-1')).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(toCoreOrder(raw, 'shop-1', 'GBP').currency).toBe('GBP');
  });

  it('units of one SKU sold at different prices stay separate items', () => {
    const items = groupLineItems(
      TikTokOrder.parse({
        ...rawOrder,
        line_items: [
          { id: 'a', product_id: 'p', sku_id: 's', sale_price: '5.00', original_price: '5.00' },
          { id: 'b', product_id: 'p', sku_id: 's', sale_price: '4.00', original_price: '5.00' },
        ],
      }).line_items,
      'USD',
    );
    expect(items.map((i) => [i.quantity, i.total.amount])).toEqual([
      [1, '5.00'],
      [1, '4.00'],
    ]);
  });
});

describe('toCoreShipment', () => {
  it('maps a package detail', () => {
    const raw = TikTokPackage.parse({
      package_id: 'pkg-1',
      package_status: 'FULFILLING',
      orders: [{ id: '576461413038785752' }],
      shipping_type: 'SELLER',
      shipping_provider_name: 'UPS',
      tracking_number: '1Z999AA10123456784',
      create_time: 1700000000,
      update_time: 1700000900,
    });
    const shipment = toCoreShipment(raw, 'shop-1');
    expect(Shipment.safeParse(shipment).success).toBe(true);
    expect(shipment).toMatchObject({
      externalId: 'pkg-1',
      status: 'shipped',
      rawStatus: 'FULFILLING',
      orderIds: ['576461413038785752'],
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      mode: 'seller',
      updatedAt: '2023-11-14T22:28:20.000Z',
    });
  });

  it("reports a package status it does not know as unknown, keeping TikTok's word", () => {
    const raw = TikTokPackage.parse({ package_id: 'pkg-2', package_status: 'SOMETHING_NEW', orders: [] });
    const shipment = toCoreShipment(raw, 'shop-1');
    expect(Shipment.safeParse(shipment).success).toBe(true);
    expect([shipment.status, shipment.rawStatus]).toEqual(['unknown', 'SOMETHING_NEW']);
  });
});
