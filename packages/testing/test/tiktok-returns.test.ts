import { describe, expect, it } from 'vitest';
import { installServer, shopSetup } from './tiktok-helpers';

describe('TikTok Shop sandbox returns', () => {
  const { sandbox: newSandbox } = installServer();

  function delivered() {
    const sandbox = newSandbox();
    const { shop, call } = shopSetup(sandbox);
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'SOCK', price: '4.50', stock: 5 }],
    });
    const order = sandbox.placeOrder({
      shopId: shop.id,
      items: [{ skuId: product.skus[0]!.id, quantity: 2 }],
    });
    sandbox.payOrder(order.id);
    sandbox.shipOrder(order.id);
    sandbox.deliverOrder(order.id);
    return { sandbox, shop, call, order };
  }

  it('searches with page_size 10–50 only, and renders the next action with its deadline', async () => {
    const { sandbox, call, order } = delivered();
    const entry = sandbox.returns.open({ orderId: order.id, type: 'REFUND' });
    const small = await call('POST', '/return_refund/202309/returns/search', {
      query: { page_size: '5' },
      body: {},
    });
    expect(small.json.code).toBe(36009004);
    const found = await call('POST', '/return_refund/202309/returns/search', {
      query: { page_size: '10' },
      body: { return_ids: [entry.id] },
    });
    expect(found.json.data.return_orders).toEqual([
      expect.objectContaining({
        return_id: entry.id,
        return_type: 'REFUND',
        return_status: 'RETURN_OR_REFUND_REQUEST_PENDING',
        refund_amount: expect.objectContaining({ refund_total: '9.00' }),
        seller_next_action_response: [
          { action: 'SELLER_RESPOND_REFUND', deadline: entry.createTime + 2 * 86_400 },
        ],
      }),
    ]);
  });

  it('a repeated idempotency_key replays the first answer and applies nothing twice', async () => {
    const { sandbox, call, order } = delivered();
    const entry = sandbox.returns.open({ orderId: order.id, type: 'REFUND' });
    const approve = () =>
      call('POST', `/return_refund/202309/returns/${entry.id}/approve`, {
        query: { idempotency_key: 'decision-1' },
        body: { decision: 'APPROVE_REFUND' },
      });
    expect((await approve()).json.code).toBe(0);
    expect((await approve()).json.code).toBe(0);
    expect(sandbox.returns.get(entry.id)?.records.filter((record) => record.role === 'SELLER')).toHaveLength(
      1,
    );
    const fresh = await call('POST', `/return_refund/202309/returns/${entry.id}/approve`, {
      query: { idempotency_key: 'decision-2' },
      body: { decision: 'APPROVE_REFUND' },
    });
    expect(fresh.json.code).toBe(25002002);
  });

  it('a decision must fit the next action, and a rejection a listed reason', async () => {
    const { sandbox, call, order } = delivered();
    const entry = sandbox.returns.open({ orderId: order.id });
    const wrong = await call('POST', `/return_refund/202309/returns/${entry.id}/approve`, {
      body: { decision: 'APPROVE_REFUND' },
    });
    expect(wrong.json.code).toBe(25002002);
    const reasons = await call('GET', '/return_refund/202309/reject_reasons', {
      query: { return_or_cancel_id: entry.id, locale: 'en-GB' },
    });
    const [first] = reasons.json.data.reasons;
    const missing = await call('GET', '/return_refund/202309/reject_reasons', {});
    expect(missing.json.code).toBe(36009004);
    const rejected = await call('POST', `/return_refund/202309/returns/${entry.id}/reject`, {
      body: { decision: 'REJECT_RETURN', reject_reason: first.name },
    });
    expect(rejected.json.code).toBe(0);
    expect(sandbox.returns.get(entry.id)).toMatchObject({
      status: 'REFUND_OR_RETURN_REQUEST_REJECT',
      rejectReason: first.name,
    });
  });
});
