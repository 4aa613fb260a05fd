import { describe, expect, it } from 'vitest';
import { ShopeeSandboxError } from '../src/shopee/orders';
import { type App, call, START_S, useShopeeSandbox } from './shopee-helpers';

const DAY = 24 * 60 * 60;

describe('Shopee sandbox returns', () => {
  const { sandbox, app } = useShopeeSandbox();

  /** A delivered SG order of two mugs at 12.50, and the buyer's return request on it. */
  async function requested(a: App, options: { solution?: 'refund' | 'return_refund' } = {}) {
    const mug = sandbox.addItem({ shopId: a.shopId, name: 'Mug', sku: 'MUG', price: '12.50', stock: 5 });
    const order = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: mug.itemId, quantity: 2 }],
    });
    await sandbox.payOrder(order.orderSn);
    await sandbox.shipOrder(order.orderSn);
    await sandbox.deliverOrder(order.orderSn);
    return sandbox.returns.open({ orderSn: order.orderSn, ...options });
  }

  const listQuery = (extra: Record<string, string | number> = {}) => ({
    page_no: 0,
    page_size: 100,
    update_time_from: START_S - DAY,
    update_time_to: START_S + DAY,
    ...extra,
  });

  it('lists under the key `return`, amounts as JSON numbers, and refuses the windows and pages Shopee refuses', async () => {
    const a = app();
    const entry = await requested(a);
    const listed = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_list', { query: listQuery() });
    expect(listed.json.response.more).toBe(false);
    expect(listed.json.response.return).toEqual([
      expect.objectContaining({
        return_sn: entry.returnSn,
        status: 'REQUESTED',
        refund_amount: 25,
        currency: 'SGD',
      }),
    ]);
    expect(listed.text).toContain('"amount":2');

    const { page_no: _dropped, ...withoutPage } = listQuery();
    const noPage = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_list', { query: withoutPage });
    expect(noPage.json.error).toBe('error_data');
    const wide = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_list', {
      query: listQuery({ update_time_to: START_S - DAY + 16 * DAY }),
    });
    expect(wide.json).toMatchObject({
      error: 'error_param',
      message: 'The update_time range should not exceed 15 days.',
    });
    const big = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_list', {
      query: listQuery({ page_size: 101 }),
    });
    expect(big.json.error).toBe('error_param');
    const filtered = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_list', {
      query: listQuery({ status: 'RETURN_ACCEPTED' }),
    });
    expect(filtered.json.response.return).toEqual([]);
  });

  it('answers another shop’s return_sn as invalid', async () => {
    const a = app();
    const entry = await requested(a);
    const other = sandbox.addShop({ region: 'SG' });
    const tokens = sandbox.issueTokens({ partnerId: a.partnerId, shopId: other.shopId });
    const b: App = { ...a, shopId: other.shopId, accessToken: tokens.accessToken };
    const detail = await call(sandbox, b, 'GET', '/api/v2/returns/get_return_detail', {
      query: { return_sn: entry.returnSn },
    });
    expect(detail.json).toMatchObject({ error: 'error_param', message: 'Return SN or ID is invalid.' });
  });

  it('negotiation refusals: too many decimals, no buyer offer, the seller’s own offer', async () => {
    const a = app();
    const { returnSn } = await requested(a, { solution: 'refund' });
    const decimals = await call(sandbox, a, 'POST', '/api/v2/returns/offer', {
      body:
        '{"return_sn":"' +
        returnSn +
        '","proposed_solution":"REFUND","proposed_adjusted_refund_amount":10.125}',
    });
    expect(decimals.json).toMatchObject({
      error: 'error_param',
      message: 'Too many digits after the decimal point.',
    });
    const noOffer = await call(sandbox, a, 'POST', '/api/v2/returns/accept_offer', {
      body: { return_sn: returnSn },
    });
    expect(noOffer.json.error).toBe('error_no_buyer_offer');
    const offered = await call(sandbox, a, 'POST', '/api/v2/returns/offer', {
      body: { return_sn: returnSn, proposed_solution: 'REFUND', proposed_adjusted_refund_amount: 10.5 },
    });
    expect(offered.json.response).toEqual({ return_sn: returnSn });
    const own = await call(sandbox, a, 'POST', '/api/v2/returns/accept_offer', {
      body: { return_sn: returnSn },
    });
    expect(own.json).toMatchObject({ error: 'err_data', message: 'Cannot accept your own offer.' });
    const detail = await call(sandbox, a, 'GET', '/api/v2/returns/get_return_detail', {
      query: { return_sn: returnSn },
    });
    expect(detail.json.response.negotiation).toMatchObject({
      negotiation_status: 'PENDING_BUYER_RESPOND',
      latest_offer_amount: 10.5,
      latest_offer_creator: 'seller',
      offer_due_date: START_S + 2 * DAY,
    });
  });

  it('moves over the clock: silence accepts, an unshipped return is cancelled, and a closed one cannot be disputed', async () => {
    const a = app();
    const { returnSn } = await requested(a);
    sandbox.clock.advance(3 * DAY * 1000);
    await sandbox.returns.settle();
    expect(sandbox.returns.get(returnSn)).toMatchObject({
      status: 'PROCESSING',
      returnShipDueDate: START_S + 10 * DAY,
    });
    sandbox.clock.advance(7 * DAY * 1000);
    expect(sandbox.returns.get(returnSn)?.status).toBe('CANCELLED');
    const { accessToken } = sandbox.issueTokens({ partnerId: a.partnerId, shopId: a.shopId });
    const dispute = await call(sandbox, { ...a, accessToken }, 'POST', '/api/v2/returns/dispute', {
      body: { return_sn: returnSn, email: 'ops@shop.example', dispute_reason_id: 12 },
    });
    expect(dispute.json.error).toBe('error_return_status');
  });

  it('the buyer’s drivers refuse what a buyer could not do', async () => {
    const a = app();
    const mug = sandbox.addItem({ shopId: a.shopId, name: 'Mug', price: '12.50', stock: 5 });
    const order = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: mug.itemId, quantity: 1 }],
    });
    await expect(sandbox.returns.open({ orderSn: order.orderSn })).rejects.toBeInstanceOf(ShopeeSandboxError);
    await sandbox.payOrder(order.orderSn);
    await sandbox.shipOrder(order.orderSn);
    const first = await sandbox.returns.open({ orderSn: order.orderSn });
    await expect(sandbox.returns.open({ orderSn: order.orderSn })).rejects.toThrow(
      /0 unit\(s\) can still be returned/,
    );
    await sandbox.returns.withdraw(first.returnSn);
    await expect(sandbox.returns.open({ orderSn: order.orderSn })).resolves.toMatchObject({
      status: 'REQUESTED',
    });
  });
});
