import { describe, expect, it } from 'vitest';
import { TIKTOK_SANDBOX_SCOPES } from '../src/tiktok/index';
import { installServer, START_S, shopSetup, tiktokClient } from './tiktok-helpers';

const env = installServer();
const DAY_MS = 86_400_000;

/** A GB shop (6 % commission, no per-item fee) with a completed order: 2 × 12.99, 3.50 shipping. */
function completedOrder() {
  const sandbox = env.sandbox();
  const setup = shopSetup(sandbox);
  const product = sandbox.addProduct({
    title: 'Socks',
    skus: [{ price: '12.99', stock: 10, sellerSku: 'SOCK' }],
  });
  const order = sandbox.placeOrder({
    items: [{ skuId: product.skus[0]!.id, quantity: 2 }],
    shippingFee: '3.50',
  });
  sandbox.payOrder(order.id);
  sandbox.shipOrder(order.id);
  sandbox.deliverOrder(order.id);
  sandbox.completeOrder(order.id);
  return { sandbox, ...setup, order };
}

describe('TikTok finance', () => {
  it('settles a completed order in the statement of the next midnight UTC, its parts summing to the settlement', async () => {
    const { sandbox, call, order } = completedOrder();
    const path = `/finance/202501/orders/${order.id}/statement_transactions`;

    const early = await call('GET', path);
    expect(early.json.data).toEqual({ order_id: order.id, sku_transactions: [] });

    sandbox.clock.advance(DAY_MS);
    const { json } = await call('GET', path);
    expect(json.data).toMatchObject({
      order_id: order.id,
      currency: 'GBP',
      revenue_amount: '25.98',
      shipping_cost_amount: '0.00',
      fee_and_tax_amount: '-1.56',
      settlement_amount: '24.42',
    });
    const [row] = json.data.sku_transactions;
    expect(row).toMatchObject({
      quantity: '2',
      revenue_breakdown: { subtotal_before_discount_amount: '25.98', seller_discount_amount: '0.00' },
      shipping_cost_breakdown: {
        actual_shipping_fee_amount: '-3.50',
        customer_paid_shipping_fee_amount: '3.50',
      },
      fee_tax_amount: '-1.56',
      fee_tax_breakdown: { fee: { platform_commission_amount: '-1.56' }, tax: {} },
      settlement_amount: '24.42',
    });
    expect(row.fee_tax_breakdown.fee).not.toHaveProperty('fee_per_item_sold_amount'); // Brazil only
    expect(row.statement_id).toMatch(/^\d+$/);
  });

  it('lists statements sorted by statement_time, which it requires, paid a day after they are made', async () => {
    const { sandbox, call } = completedOrder();
    sandbox.clock.advance(DAY_MS);

    const unsorted = await call('GET', '/finance/202309/statements');
    expect(unsorted.json.code).toBe(36009004);

    const listed = await call('GET', '/finance/202309/statements', {
      query: { sort_field: 'statement_time' },
    });
    expect(listed.json.data).toMatchObject({
      total_count: 1,
      next_page_token: '',
      statements: [
        {
          statement_time: START_S + 86_400,
          currency: 'GBP',
          revenue_amount: '25.98',
          fee_amount: '-1.56',
          settlement_amount: '24.42',
          payment_status: 'PROCESSING',
        },
      ],
    });
    sandbox.clock.advance(DAY_MS);
    const paid = await call('GET', '/finance/202309/statements', {
      query: { sort_field: 'statement_time', payment_status: 'PAID' },
    });
    expect(paid.json.data.statements.map((s: { payment_status: string }) => s.payment_status)).toEqual([
      'PAID',
    ]);
    const tooBig = await call('GET', '/finance/202309/statements', {
      query: { sort_field: 'statement_time', page_size: '101' },
    });
    expect(tooBig.json.code).toBe(36009004);
  });

  it('needs the seller.finance.info scope', async () => {
    const { sandbox, shop, order } = completedOrder();
    const narrow = sandbox.issueTokens({
      shopId: shop.id,
      scopes: TIKTOK_SANDBOX_SCOPES.filter((scope) => scope !== 'seller.finance.info'),
    });
    const call = tiktokClient(sandbox, { accessToken: narrow.accessToken, cipher: shop.cipher });
    const refused = await call('GET', `/finance/202501/orders/${order.id}/statement_transactions`);
    expect(refused.json.code).toBe(105005);
  });
});
