import {
  type Instant,
  instantToEpochMs,
  type Money,
  money,
  NotFoundError,
  type OrderProceeds,
  type ProceedsCapability,
  ValidationError,
} from '@mlh/core';
import * as financeApi from '../api/finance';
import { tiktokPages } from '../api/paging';
import { TIKTOK, toTikTokOrderProceeds } from '../mappers';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';

/** One daily statement of a TikTok shop: the orders and adjustments settled that day. */
export interface TikTokStatement {
  id: string;
  /** ISO 8601: statements are produced at 00:00 UTC for the previous day. */
  statementTime: string | undefined;
  currency: string;
  revenue: Money | undefined;
  /** Fees and taxes, negative. */
  fees: Money | undefined;
  adjustments: Money | undefined;
  shippingCost: Money | undefined;
  netSales: Money | undefined;
  /** What the statement pays out. */
  settlement: Money | undefined;
  /** `PAID`, `FAILED`, `PROCESSING` (an open string). */
  paymentStatus: string | undefined;
  paymentId: string | undefined;
  raw: financeApi.TikTokStatementRecord;
}

/** Options of {@link TikTokProceedsCapability.listStatements}. */
export interface ListTikTokStatementsOptions {
  /** Statements produced at or after this moment. */
  since?: Instant | undefined;
  /** Statements produced before this moment. */
  until?: Instant | undefined;
  paymentStatus?: 'PAID' | 'FAILED' | 'PROCESSING' | (string & {}) | undefined;
  /** 1–100, default 100. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The fees-and-proceeds calls of a TikTok shop's client. */
export interface TikTokProceedsCapability extends ProceedsCapability {
  /** The shop's daily statements, oldest first, page by page. */
  listStatements(options?: ListTikTokStatementsOptions): AsyncIterable<TikTokStatement>;
}

function seconds(instant: Instant | undefined, path: string): number | undefined {
  if (instant === undefined) return undefined;
  const ms = instantToEpochMs(instant);
  if (ms === undefined) {
    throw new ValidationError(
      'Invalid statements options',
      [{ path, message: 'must be a Date, an ISO 8601 string or epoch ms' }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  return Math.floor(ms / 1000);
}

function amount(
  value: financeApi.TikTokFinanceAmount | null | undefined,
  currency: string,
): Money | undefined {
  return value === undefined || value === null || value === '' ? undefined : money(value, currency);
}

/** Maps a statement record; its currency, else the shop's, names the amounts. */
function toStatement(
  record: financeApi.TikTokStatementRecord,
  shopCurrency: string | undefined,
): TikTokStatement {
  const currency = (record.currency || shopCurrency || '').toUpperCase();
  if (!currency) {
    throw new ValidationError(
      'TikTok statement names no currency',
      [{ path: 'currency', message: "set the client's currency option" }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  return {
    id: record.id,
    statementTime:
      typeof record.statement_time === 'number'
        ? new Date(record.statement_time * 1000).toISOString()
        : undefined,
    currency,
    revenue: amount(record.revenue_amount, currency),
    fees: amount(record.fee_amount, currency),
    adjustments: amount(record.adjustment_amount, currency),
    shippingCost: amount(record.shipping_cost_amount, currency),
    netSales: amount(record.net_sales_amount, currency),
    settlement: amount(record.settlement_amount, currency),
    paymentStatus: record.payment_status ?? undefined,
    paymentId: record.payment_id || undefined,
    raw: record,
  };
}

/**
 * Net proceeds of a settled order (Get Transactions by Order, 202501), and the shop's statements.
 * An order settles some days after delivery; before that TikTok has no transactions for it and
 * `getOrderProceeds` throws a `NotFoundError` with code `not_settled`.
 */
export function proceedsCapability(ctx: TikTokAccountContext): TikTokProceedsCapability {
  const { call, accountId, currency } = ctx;
  const scoped = (signal: AbortSignal | undefined) => (signal ? { ...call, signal } : call);

  return {
    async getOrderProceeds(orderId: string, options: { signal?: AbortSignal } = {}): Promise<OrderProceeds> {
      const data = await financeApi.getOrderStatementTransactions(scoped(options.signal), orderId);
      if ((data.sku_transactions ?? []).length === 0) {
        throw new NotFoundError(`TikTok order ${orderId} has not settled yet: no statement transactions`, {
          marketplace: TIKTOK,
          code: 'not_settled',
        });
      }
      return toTikTokOrderProceeds(data, { accountId, orderId, currency });
    },

    async *listStatements(options: ListTikTokStatementsOptions = {}): AsyncGenerator<TikTokStatement> {
      const statementTimeGe = seconds(options.since, 'since');
      const statementTimeLt = seconds(options.until, 'until');
      const pages = tiktokPages(
        (pageToken) =>
          financeApi.getStatements(scoped(options.signal), {
            statementTimeGe,
            statementTimeLt,
            paymentStatus: options.paymentStatus,
            pageSize: options.pageSize,
            pageToken,
          }),
        'Get Statements',
        options.signal,
      );
      for await (const page of pages)
        for (const record of page.statements) yield toStatement(record, currency);
    },
  };
}

/**
 * The proceeds module: `getOrderProceeds` (a settled order's transactions) and `listStatements`.
 *
 * @example
 * import { tiktokProceeds } from '@mlh/tiktok/proceeds';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokProceeds] }).forAccount(shopId);
 * const { net } = await client.getOrderProceeds(order.externalId);
 */
export const tiktokProceeds = /* @__PURE__ */ tiktokModule({
  name: 'proceeds',
  capabilities: {},
  build: proceedsCapability,
});
