import { describe, expect, it } from 'vitest';
import { type App, call, START_S, useShopeeSandbox } from './shopee-helpers';

const DAY = 24 * 60 * 60;

describe('Shopee payment module (escrow)', () => {
  const { sandbox, app } = useShopeeSandbox();

  /** Three units at 19.90 plus 1.99 shipping paid by the buyer, in an SG shop (two decimals). */
  async function order(a: App, pay = true) {
    const mug = sandbox.addItem({ shopId: a.shopId, name: 'Mug', price: '19.90', stock: 10 });
    const placed = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: mug.itemId, quantity: 3 }],
      shippingFee: '1.99',
    });
    if (pay) await sandbox.payOrder(placed.orderSn);
    return placed.orderSn;
  }

  it('computes the escrow from the order, fees at the default rates, agreeing with the formula', async () => {
    const a = app();
    const orderSn = await order(a);
    const { json } = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_detail', {
      query: { order_sn: orderSn },
    });
    const income = json.response.order_income;
    // 59.70 of goods: 14 % = 8.358 → 8.36, 6 % = 3.582 → 3.58.
    expect(income).toMatchObject({
      original_cost_of_goods_sold: 59.7,
      buyer_paid_shipping_fee: 1.99,
      actual_shipping_fee: 1.99,
      commission_fee: 8.36,
      service_fee: 3.58,
      seller_transaction_fee: 0,
      escrow_amount: 47.76,
      escrow_amount_after_adjustment: 47.76,
      buyer_total_amount: 61.69,
    });
    expect(income.order_adjustment).toBeUndefined();
    expect(income.net_commission_fee).toBeUndefined(); // Brazil only
    // The escrow ties to the order: what the buyer paid is the order's total_amount.
    const detail = await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
      query: { order_sn_list: orderSn, response_optional_fields: 'total_amount' },
    });
    expect(detail.json.response.order_list[0].total_amount).toBe(income.buyer_total_amount);
  });

  it('has no escrow before payment, and none for another shop or an unknown order', async () => {
    const a = app();
    const unpaid = await order(a, false);
    const before = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_detail', {
      query: { order_sn: unpaid },
    });
    expect(before.json.error).toBe('income_not_found');
    const unknown = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_detail', {
      query: { order_sn: '240101ZZZZZZZZ' },
    });
    expect(unknown.json).toMatchObject({
      error: 'order_not_found',
      message: 'Order SN provided is invalid or does not belong to you',
    });
    const missing = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_detail');
    expect(missing.json.error).toBe('error_param');
  });

  it('keeps an adjustment beside the escrow and lists released escrows by release time, paged', async () => {
    const a = app();
    const first = await order(a);
    const second = await order(a);
    for (const orderSn of [first, second]) {
      await sandbox.shipOrder(orderSn);
      await sandbox.deliverOrder(orderSn);
      sandbox.clock.advance(1000);
      await sandbox.completeOrder(orderSn);
    }
    sandbox.adjustEscrow(first, { amount: '-2.00', reason: 'Shipping fee adjustment' });

    const detail = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_detail', {
      query: { order_sn: first },
    });
    expect(detail.json.response.order_income).toMatchObject({
      escrow_amount: 47.76,
      total_adjustment_amount: -2,
      escrow_amount_after_adjustment: 45.76,
      order_adjustment: [{ amount: -2, currency: 'SGD', adjustment_reason: 'Shipping fee adjustment' }],
    });

    const query = { release_time_from: START_S, release_time_to: START_S + DAY, page_size: 1 };
    const page1 = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_list', { query });
    expect(page1.json.response).toEqual({
      more: true,
      escrow_list: [{ order_sn: first, payout_amount: 45.76, escrow_release_time: START_S + 1 }],
    });
    const page2 = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_list', {
      query: { ...query, page_no: 2 },
    });
    expect(page2.json.response.more).toBe(false);
    expect(page2.json.response.escrow_list.map((e: { order_sn: string }) => e.order_sn)).toEqual([second]);

    const tooBig = await call(sandbox, a, 'GET', '/api/v2/payment/get_escrow_list', {
      query: { ...query, page_size: 101 },
    });
    expect(tooBig.json.error).toBe('error_param');
  });

  it('answers batches of 1–50 orders by POST, each escrow as get_escrow_detail has it', async () => {
    const a = app();
    const orderSn = await order(a);
    const batch = await call(sandbox, a, 'POST', '/api/v2/payment/get_escrow_detail_batch', {
      body: { order_sn_list: [orderSn] },
    });
    expect(batch.json.response).toHaveLength(1);
    expect(batch.json.response[0].escrow_detail.order_income.escrow_amount).toBe(47.76);
    const tooMany = await call(sandbox, a, 'POST', '/api/v2/payment/get_escrow_detail_batch', {
      body: {
        order_sn_list: Array.from({ length: 51 }, (_, i) => `2401010000${String(i).padStart(4, '0')}`),
      },
    });
    expect(tooMany.json.error).toBe('error_param');
  });
});
