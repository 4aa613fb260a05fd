import { ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { TIKTOK } from '../mappers';
import { callTikTok, type TikTokCallContext } from '../transport';

/**
 * Finance (`seller.finance.info`): the settled transactions of an order (202501; the 202309
 * versions now answer for US and UK shops only) and the shop's daily statements. Amounts are
 * signed decimal strings from the seller's side (costs negative); a deprecated field may be `""`.
 */

/** An amount: a decimal string (`""` for a deprecated field), or a number. */
const Amount = z.union([z.string().check(z.regex(/^(-?\d+(\.\d+)?)?$/)), z.number()]);
const OptionalAmount = z.optional(z.nullable(Amount));
/** An amount as the finance API sends it. */
export type TikTokFinanceAmount = string | number;

const Id = z.union([z.string(), z.pipe(z.number(), z.transform(String))]);
const OptionalText = z.optional(z.nullable(z.string()));
/** A breakdown object: amounts by field name; TikTok keeps adding fields, so the names are open. */
const Breakdown = z.optional(z.nullable(z.record(z.string(), z.unknown())));

/** One row of `sku_transactions`: a SKU's revenue, shipping, fees and taxes in one statement. */
export const TikTokSkuTransaction = z.looseObject({
  sku_id: z.optional(z.nullable(Id)),
  sku_name: OptionalText,
  product_name: OptionalText,
  quantity: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  statement_id: z.optional(z.nullable(Id)),
  revenue_amount: OptionalAmount,
  revenue_breakdown: Breakdown,
  shipping_cost_amount: OptionalAmount,
  shipping_cost_breakdown: Breakdown,
  /** The SKU rows spell it `fee_tax_amount`; the order level `fee_and_tax_amount`. */
  fee_tax_amount: OptionalAmount,
  fee_tax_breakdown: z.optional(z.nullable(z.looseObject({ fee: Breakdown, tax: Breakdown }))),
  adjustment_amount: OptionalAmount,
  settlement_amount: OptionalAmount,
  /** Informational only: already counted in a parent field. */
  supplementary_component: z.optional(z.nullable(z.unknown())),
});
/** One row of `sku_transactions`, field by field. */
export type TikTokSkuTransaction = z.infer<typeof TikTokSkuTransaction>;

/** `data` of `GET /finance/202501/orders/{order_id}/statement_transactions`. */
export const TikTokOrderTransactions = z.looseObject({
  order_id: z.optional(z.nullable(Id)),
  order_create_time: z.optional(z.nullable(z.number())),
  currency: OptionalText,
  revenue_amount: OptionalAmount,
  shipping_cost_amount: OptionalAmount,
  fee_and_tax_amount: OptionalAmount,
  adjustment_amount: OptionalAmount,
  settlement_amount: OptionalAmount,
  sku_transactions: z.optional(z.nullable(z.array(TikTokSkuTransaction))),
});
/** The settled transactions of an order, field by field. */
export type TikTokOrderTransactions = z.infer<typeof TikTokOrderTransactions>;

/** One statement of Get Statements. */
export const TikTokStatementRecord = z.looseObject({
  id: Id,
  statement_time: z.optional(z.nullable(z.number())),
  currency: OptionalText,
  revenue_amount: OptionalAmount,
  fee_amount: OptionalAmount,
  adjustment_amount: OptionalAmount,
  shipping_cost_amount: OptionalAmount,
  net_sales_amount: OptionalAmount,
  settlement_amount: OptionalAmount,
  /** `PAID`, `FAILED`, `PROCESSING`; an open string. */
  payment_status: OptionalText,
  payment_id: z.optional(z.nullable(Id)),
  /** Listed by the reference, absent from TikTok's own SDK and samples. */
  payment_time: z.optional(z.nullable(z.number())),
});
/** One statement of Get Statements, field by field. */
export type TikTokStatementRecord = z.infer<typeof TikTokStatementRecord>;

/** `data` of `GET /finance/202309/statements`. */
export const TikTokStatementsData = z.looseObject({
  statements: z.optional(z.nullable(z.array(TikTokStatementRecord))),
  next_page_token: OptionalText,
  total_count: z.optional(z.nullable(z.number())),
});
/** `data` of Get Statements, field by field. */
export type TikTokStatementsData = z.infer<typeof TikTokStatementsData>;

/** Largest `page_size` of the finance lists. */
export const TIKTOK_FINANCE_PAGE_SIZE_MAX = 100;

function checkId(value: string, path: string): void {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new ValidationError(
      'Invalid finance request',
      [{ path, message: 'must be a TikTok id (digits)' }],
      {
        marketplace: TIKTOK,
      },
    );
  }
}

/** The settled transactions of one order: `GET /finance/202501/orders/{order_id}/statement_transactions`. */
export async function getOrderStatementTransactions(
  context: TikTokCallContext,
  orderId: string,
): Promise<TikTokOrderTransactions> {
  checkId(orderId, 'orderId');
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/finance/202501/orders/${orderId}/statement_transactions`,
      rateGroup: 'read',
      operation: 'finance.order_transactions',
    },
    TikTokOrderTransactions,
    'Get Transactions by Order',
  );
  return data;
}

/** Options of {@link getStatements}. Times are Unix seconds, `[ge, lt)`. */
export interface TikTokStatementsOptions {
  statementTimeGe?: number | undefined;
  statementTimeLt?: number | undefined;
  /** `PAID`, `FAILED` or `PROCESSING`. */
  paymentStatus?: string | undefined;
  /** 1–100, default 100. */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  /** Default `ASC`. */
  sortOrder?: 'ASC' | 'DESC' | undefined;
}

/** One page of statements: `GET /finance/202309/statements` (sorted by `statement_time`, which TikTok requires). */
export async function getStatements(
  context: TikTokCallContext,
  options: TikTokStatementsOptions = {},
): Promise<{
  statements: TikTokStatementRecord[];
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}> {
  const pageSize = options.pageSize ?? TIKTOK_FINANCE_PAGE_SIZE_MAX;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > TIKTOK_FINANCE_PAGE_SIZE_MAX) {
    throw new ValidationError(
      'Invalid statements options',
      [{ path: 'pageSize', message: 'must be 1–100' }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: '/finance/202309/statements',
      query: {
        sort_field: 'statement_time',
        sort_order: options.sortOrder ?? 'ASC',
        page_size: pageSize,
        page_token: options.pageToken || undefined,
        statement_time_ge: options.statementTimeGe,
        statement_time_lt: options.statementTimeLt,
        payment_status: options.paymentStatus,
      },
      rateGroup: 'read',
      operation: 'finance.statements',
    },
    TikTokStatementsData,
    'Get Statements',
  );
  return {
    statements: data.statements ?? [],
    nextPageToken: data.next_page_token || undefined,
    totalCount: data.total_count ?? undefined,
  };
}
