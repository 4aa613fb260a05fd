/**
 * Finance endpoints (reference "catalog and after-sale" §4): statements and the settled
 * transactions of an order. An order settles when it is COMPLETED; TikTok produces one statement
 * per shop per day at 00:00 UTC covering the previous day, so an order's transactions (and its
 * statement) appear at the first midnight after completion. Amounts are signed decimal strings
 * from the seller's side (costs negative), and each order's settlement is the plain sum of its
 * components, computed from the order so it agrees with Get Order Detail.
 */
import {
  addMoney,
  money,
  moneyInCurrencyScale,
  multiplyMoney,
  roundDecimal,
  subtractMoney,
  sumMoney,
} from '@mlh/core';
import { tiktokError } from '../errors';
import { shopOf, type TikTokCall, type TikTokRoute } from '../gateway';
import { paginate } from '../paging';
import type { TikTokSandboxLineItem, TikTokSandboxOrder, TikTokSandboxShop } from '../state';

const SCOPE = 'seller.finance.info';
const DAY = 86_400;

/** Fee rates of the sandbox's settlements. */
export interface TikTokFinanceRates {
  /** `platform_commission_amount`, in percent of the sale price. Default 6. */
  commissionPercent: number;
  /** `fee_per_item_sold_amount` per unit, Brazil only (reference §8.6). Default `"4.00"`. */
  brazilFeePerItemSold: string;
}

/** The sandbox's default rates (illustrative, not TikTok's). */
export const TIKTOK_DEFAULT_FINANCE_RATES: Readonly<TikTokFinanceRates> = Object.freeze({
  commissionPercent: 6,
  brazilFeePerItemSold: '4.00',
});

/** A fee added to an order's settlement by a driver: itemised in the breakdown, or only in the totals. */
export interface TikTokExtraFee {
  key: string;
  /** Signed as TikTok signs it: a cost is negative. */
  amount: string;
  /** False: counted in `fee_tax_amount` and the settlement but missing from `fee_tax_breakdown`. */
  itemised: boolean;
}

const extraFees = new WeakMap<TikTokSandboxOrder, TikTokExtraFee[]>();
const completedAt = new WeakMap<TikTokSandboxOrder, number>();

/** Records when an order completed: it settles at the next midnight UTC. */
export function recordCompletion(order: TikTokSandboxOrder, nowSeconds: number): void {
  completedAt.set(order, nowSeconds);
}

/** Adds a fee to an order's settlement (see {@link TikTokExtraFee}). */
export function addExtraFee(order: TikTokSandboxOrder, fee: TikTokExtraFee): void {
  extraFees.set(order, [...(extraFees.get(order) ?? []), fee]);
}

function statementTimeOf(order: TikTokSandboxOrder): number | undefined {
  const completed = completedAt.get(order);
  return completed === undefined ? undefined : (Math.floor(completed / DAY) + 1) * DAY;
}

function statementIdOf(shop: TikTokSandboxShop, statementTime: number): string {
  return `75${String(statementTime / DAY).padStart(6, '0')}${shop.id.replace(/\D/g, '').slice(-8).padStart(8, '0')}`;
}

function scaled(value: ReturnType<typeof money>): string {
  return moneyInCurrencyScale(value.amount, value.currency).amount;
}

function percentOf(amount: ReturnType<typeof money>, percent: number): ReturnType<typeof money> {
  const hundredths = BigInt(Math.round(percent * 100));
  const [whole = '0', fraction = ''] = amount.amount.replace('-', '').split('.');
  const units = BigInt(whole + fraction) * hundredths;
  const scale = fraction.length + 4;
  const digits = units.toString().padStart(scale + 1, '0');
  const decimals = moneyInCurrencyScale('0', amount.currency).amount.split('.')[1]?.length ?? 0;
  return money(roundDecimal(`${digits.slice(0, -scale)}.${digits.slice(-scale)}`, decimals), amount.currency);
}

const negate = (value: ReturnType<typeof money>) => subtractMoney(money('0', value.currency), value);

/** The settled `sku_transactions` of an order: one row per SKU, shipping on the first. */
function skuTransactions(
  order: TikTokSandboxOrder,
  shop: TikTokSandboxShop,
  rates: TikTokFinanceRates,
  statementId: string,
) {
  const bySku = new Map<string, TikTokSandboxLineItem[]>();
  for (const item of order.lineItems.filter((line) => line.displayStatus !== 'CANCELLED')) {
    bySku.set(item.skuId, [...(bySku.get(item.skuId) ?? []), item]);
  }
  const currency = order.currency;
  const extras = extraFees.get(order) ?? [];
  return [...bySku.values()].map((items, index) => {
    const first = items[0] as TikTokSandboxLineItem;
    const quantity = items.length;
    const subtotal = multiplyMoney(money(first.originalPrice, currency), quantity);
    const revenue = multiplyMoney(money(first.salePrice, currency), quantity);
    const sellerDiscount = subtractMoney(revenue, subtotal);
    const shippingFee = index === 0 ? money(order.shippingFee, currency) : money('0', currency);
    const fees: Record<string, ReturnType<typeof money>> = {
      platform_commission_amount: negate(percentOf(revenue, rates.commissionPercent)),
      ...(shop.region === 'BR'
        ? {
            fee_per_item_sold_amount: negate(
              multiplyMoney(money(rates.brazilFeePerItemSold, currency), quantity),
            ),
          }
        : {}),
    };
    const rowExtras = index === 0 ? extras : [];
    for (const extra of rowExtras.filter((fee) => fee.itemised))
      fees[extra.key] = money(extra.amount, currency);
    const feeTax = sumMoney(
      [
        ...Object.values(fees),
        ...rowExtras.filter((fee) => !fee.itemised).map((fee) => money(fee.amount, currency)),
      ],
      currency,
    );
    // The carrier's fee, paid by what the buyer paid for shipping.
    const shippingCost = addMoney(negate(shippingFee), shippingFee);
    const settlement = addMoney(addMoney(revenue, shippingCost), feeTax);
    return {
      sku_id: first.skuId,
      sku_name: first.skuName,
      product_name: first.productName,
      quantity: String(quantity),
      statement_id: statementId,
      revenue_amount: scaled(revenue),
      revenue_breakdown: {
        subtotal_before_discount_amount: scaled(subtotal),
        seller_discount_amount: scaled(sellerDiscount),
      },
      shipping_cost_amount: scaled(shippingCost),
      shipping_cost_breakdown: {
        actual_shipping_fee_amount: scaled(negate(shippingFee)),
        customer_paid_shipping_fee_amount: scaled(shippingFee),
      },
      fee_tax_amount: scaled(feeTax),
      fee_tax_breakdown: {
        fee: Object.fromEntries(Object.entries(fees).map(([key, value]) => [key, scaled(value)])),
        tax: {},
      },
      settlement_amount: scaled(settlement),
      // Informational: already counted above (reference §4.5), never to be added again.
      supplementary_component: { customer_payment_amount: scaled(addMoney(revenue, shippingFee)) },
    };
  });
}

function settledOrder(call: TikTokCall, order: TikTokSandboxOrder) {
  const shop = shopOf(call);
  const statementTime = statementTimeOf(order);
  const settled = statementTime !== undefined && statementTime <= call.context.nowSeconds();
  if (!settled) return undefined;
  const rates = call.context.settings.financeRates;
  const rows = skuTransactions(order, shop, rates, statementIdOf(shop, statementTime));
  const total = (key: 'revenue_amount' | 'shipping_cost_amount' | 'fee_tax_amount' | 'settlement_amount') =>
    scaled(
      sumMoney(
        rows.map((row) => money(row[key], order.currency)),
        order.currency,
      ),
    );
  return {
    statementTime,
    data: {
      order_id: order.id,
      order_create_time: order.createTime,
      currency: order.currency,
      revenue_amount: total('revenue_amount'),
      shipping_cost_amount: total('shipping_cost_amount'),
      fee_and_tax_amount: total('fee_tax_amount'),
      settlement_amount: total('settlement_amount'),
      sku_transactions: rows,
    },
  };
}

function ownOrder(call: TikTokCall): TikTokSandboxOrder {
  const order = call.context.state.orders.get(call.params.order_id ?? '');
  if (!order || order.shopId !== shopOf(call).id) throw tiktokError('orderNotFound');
  return order;
}

function optionalSeconds(call: TikTokCall, name: string): number | undefined {
  const raw = call.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw tiktokError('invalidParam', `${name} must be a Unix timestamp in seconds`);
  return Number(raw);
}

function pageSizeOf(call: TikTokCall): number {
  const raw = call.query.get('page_size');
  if (raw === null || raw === '') return 20;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw tiktokError('invalidParam', 'page_size must be between 1 and 100');
  }
  return Number(raw);
}

/** The shop's statements produced so far, one per day with settled orders. */
function statementsOf(call: TikTokCall) {
  const shop = shopOf(call);
  const now = call.context.nowSeconds();
  const byTime = new Map<number, Array<NonNullable<ReturnType<typeof settledOrder>>['data']>>();
  for (const order of call.context.state.orders.values()) {
    if (order.shopId !== shop.id) continue;
    const settled = settledOrder(call, order);
    if (settled)
      byTime.set(settled.statementTime, [...(byTime.get(settled.statementTime) ?? []), settled.data]);
  }
  return [...byTime.entries()].map(([statementTime, orders]) => {
    const sum = (
      key: 'revenue_amount' | 'shipping_cost_amount' | 'fee_and_tax_amount' | 'settlement_amount',
    ) =>
      scaled(
        sumMoney(
          orders.map((order) => money(order[key], shop.currency)),
          shop.currency,
        ),
      );
    const paid = now >= statementTime + DAY;
    return {
      id: statementIdOf(shop, statementTime),
      statement_time: statementTime,
      currency: shop.currency,
      revenue_amount: sum('revenue_amount'),
      fee_amount: sum('fee_and_tax_amount'),
      adjustment_amount: scaled(money('0', shop.currency)),
      shipping_cost_amount: sum('shipping_cost_amount'),
      net_sales_amount: sum('revenue_amount'),
      settlement_amount: sum('settlement_amount'),
      payment_status: paid ? 'PAID' : 'PROCESSING',
      payment_id: paid ? `76${statementIdOf(shop, statementTime).slice(2)}` : '',
    };
  });
}

/** Finance endpoints. */
export const financeRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/finance/202501/orders/{order_id}/statement_transactions',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const order = ownOrder(call);
      // Not settled yet: the order, with no transactions.
      return settledOrder(call, order)?.data ?? { order_id: order.id, sku_transactions: [] };
    },
  },
  {
    method: 'GET',
    path: '/finance/202309/statements',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      if (call.query.get('sort_field') !== 'statement_time') {
        throw tiktokError('invalidParam', 'sort_field is required and must be statement_time');
      }
      const order = call.query.get('sort_order') ?? 'ASC';
      if (order !== 'ASC' && order !== 'DESC')
        throw tiktokError('invalidParam', 'sort_order must be ASC or DESC');
      const from = optionalSeconds(call, 'statement_time_ge');
      const until = optionalSeconds(call, 'statement_time_lt');
      const status = call.query.get('payment_status');
      const statements = statementsOf(call).filter(
        (statement) =>
          (from === undefined || statement.statement_time >= from) &&
          (until === undefined || statement.statement_time < until) &&
          (status === null || status === '' || statement.payment_status === status),
      );
      const page = paginate(statements, {
        pageSize: pageSizeOf(call),
        pageToken: call.query.get('page_token'),
        fingerprint: `statements:${from}:${until}:${status}:${order}`,
        sortValue: (statement) => statement.statement_time,
        id: (statement) => statement.id,
        descending: order === 'DESC',
      });
      return { statements: page.items, next_page_token: page.nextPageToken, total_count: page.totalCount };
    },
  },
];
