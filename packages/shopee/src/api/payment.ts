import { type FieldIssue, MlhError, paginate, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';
import { sliceShopeeTimeRange } from './orders';

/**
 * The payment module: the escrow of an order (`get_escrow_detail`: what Shopee settles for it
 * after fees, vouchers, shipping and returns) and the escrows released in a period
 * (`get_escrow_list`). Amounts are JSON floats in the shop's currency, read exactly (the
 * transport's parser keeps the literal's digits); the escrow carries no currency of its own.
 */

/** An amount of `order_income`: a JSON number, or a decimal string. */
const Amount = z.union([z.number(), z.string().check(z.regex(/^-?\d+(\.\d+)?$/))]);
const OptionalAmount = z.optional(z.nullable(Amount));
/** An amount as `get_escrow_detail` sends it. */
export type ShopeeEscrowAmount = number | string;

/**
 * The terms of the reference's escrow formula for local shops (§3.3), in its order, with the
 * sign each takes: `escrow_amount` = the sum of `sign × field`. The first is the goods value the
 * net starts from. `fsf_seller_protection_fee_claim_amount` comes from the batch API's text.
 */
export const SHOPEE_ESCROW_TERMS = [
  ['original_cost_of_goods_sold', 1],
  ['original_shopee_discount', -1],
  ['seller_return_refund', 1],
  ['shopee_discount', 1],
  ['voucher_from_seller', -1],
  ['seller_coin_cash_back', -1],
  ['buyer_paid_shipping_fee', 1],
  ['actual_shipping_fee', -1],
  ['shopee_shipping_rebate', 1],
  ['shipping_fee_discount_from_3pl', 1],
  ['reverse_shipping_fee', -1],
  ['rsf_seller_protection_fee_claim_amount', 1],
  ['fsf_seller_protection_fee_claim_amount', 1],
  ['final_return_to_seller_shipping_fee', -1],
  ['seller_transaction_fee', -1],
  ['service_fee', -1],
  ['commission_fee', -1],
  ['campaign_fee', -1],
  ['shipping_seller_protection_fee_amount', -1],
  ['delivery_seller_protection_fee_premium_amount', -1],
  ['final_escrow_product_gst', -1],
  ['order_ams_commission_fee', -1],
  ['escrow_tax', -1],
  ['sales_tax_on_lvg', -1],
  ['reverse_shipping_fee_sst', -1],
  ['shipping_fee_sst', -1],
  ['withholding_tax', -1],
  ['overseas_return_service_fee', -1],
  ['vat_on_imported_goods', -1],
  ['withholding_vat_tax', -1],
  ['withholding_pit_tax', -1],
  ['withholding_cit_tax', -1],
  ['seller_order_processing_fee', -1],
  ['buyer_paid_packaging_fee', 1],
  ['trade_in_bonus_by_seller', -1],
  ['fbs_fee', -1],
  ['ads_escrow_top_up_fee_or_technical_support_fee', -1],
  ['th_import_duty', -1],
] as const;

/** A field of the escrow formula. */
export type ShopeeEscrowTerm = (typeof SHOPEE_ESCROW_TERMS)[number][0];

const termShape = Object.fromEntries(SHOPEE_ESCROW_TERMS.map(([field]) => [field, OptionalAmount])) as {
  [K in ShopeeEscrowTerm]: typeof OptionalAmount;
};

const text = z.optional(z.nullable(z.string()));

/** `order_income` of an escrow: the formula's terms, its results and the Brazilian net fees. */
export const ShopeeOrderIncome = z.looseObject({
  ...termShape,
  escrow_amount: OptionalAmount,
  escrow_amount_after_adjustment: OptionalAmount,
  total_adjustment_amount: OptionalAmount,
  /** Absent when there is none (the reference's addendum); treated like `[]`. */
  order_adjustment: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          amount: OptionalAmount,
          date: z.optional(z.nullable(z.number())),
          currency: text,
          adjustment_reason: text,
        }),
      ),
    ),
  ),
  buyer_total_amount: OptionalAmount,
  cost_of_goods_sold: OptionalAmount,
  /** Brazil: the commission after Shopee's rebate. */
  net_commission_fee: OptionalAmount,
  /** Brazil: the service fee after Shopee's rebate. */
  net_service_fee: OptionalAmount,
});
/** `order_income` of an escrow, field by field. */
export type ShopeeOrderIncome = z.infer<typeof ShopeeOrderIncome>;

/** `response` of `payment/get_escrow_detail`. */
export const ShopeeEscrowDetail = z.looseObject({
  order_sn: z.string(),
  buyer_user_name: text,
  return_order_sn_list: z.optional(z.nullable(z.array(z.string()))),
  order_income: ShopeeOrderIncome,
  /** The buyer's payment at checkout (discounts negative); not updated after returns. */
  buyer_payment_info: z.optional(z.nullable(z.looseObject({}))),
});
/** `response` of `payment/get_escrow_detail`, field by field. */
export type ShopeeEscrowDetail = z.infer<typeof ShopeeEscrowDetail>;

/** One released escrow of `get_escrow_list`. */
export const ShopeeEscrowListEntry = z.looseObject({
  order_sn: z.string(),
  payout_amount: OptionalAmount,
  escrow_release_time: z.optional(z.nullable(z.number())),
});
/** One released escrow of `get_escrow_list`, field by field. */
export type ShopeeEscrowListEntry = z.infer<typeof ShopeeEscrowListEntry>;

/** `response` of `payment/get_escrow_list`. */
export const ShopeeEscrowListResponse = z.looseObject({
  more: z.optional(z.nullable(z.boolean())),
  escrow_list: z.optional(z.nullable(z.array(ShopeeEscrowListEntry))),
});
/** `response` of `payment/get_escrow_list`, field by field. */
export type ShopeeEscrowListResponse = z.infer<typeof ShopeeEscrowListResponse>;

/** `get_escrow_list`'s largest page. */
export const SHOPEE_ESCROW_LIST_PAGE_MAX = 100;
/** Release-time window per `get_escrow_list` call: none is printed, so the order list's 15 days [U]. */
export const SHOPEE_ESCROW_WINDOW_SECONDS = 15 * 86_400;

/** `GET /api/v2/payment/get_escrow_detail`: the escrow of one order. */
export async function getEscrowDetail(scope: ShopeeScope, orderSn: string): Promise<ShopeeEscrowDetail> {
  if (!/^[A-Za-z0-9]+$/.test(orderSn)) {
    throw new ValidationError(
      'Invalid get_escrow_detail input',
      [{ path: 'orderSn', message: 'must be an order_sn' }],
      {
        marketplace: SHOPEE,
      },
    );
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/payment/get_escrow_detail',
      query: { order_sn: orderSn },
      accountId: scope.accountId,
      operation: 'payment.get_escrow_detail',
      signal: scope.signal,
    },
    ShopeeEscrowDetail,
  );
  return response;
}

/** Options of {@link getEscrowList}. */
export interface GetEscrowListOptions {
  /** Unix seconds. */
  releaseTimeFrom: number;
  /** Unix seconds. */
  releaseTimeTo: number;
  /** 1–100 (default 100). */
  pageSize?: number | undefined;
  /** From 1 (default 1). */
  pageNo?: number | undefined;
}

/** `GET /api/v2/payment/get_escrow_list`: one page of escrows released in a window. */
export async function getEscrowList(
  scope: ShopeeScope,
  options: GetEscrowListOptions,
): Promise<ShopeeEscrowListResponse> {
  const pageSize = options.pageSize ?? SHOPEE_ESCROW_LIST_PAGE_MAX;
  const pageNo = options.pageNo ?? 1;
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SHOPEE_ESCROW_LIST_PAGE_MAX) {
    issues.push({ path: 'pageSize', message: `must be 1..${SHOPEE_ESCROW_LIST_PAGE_MAX}` });
  }
  if (!Number.isInteger(pageNo) || pageNo < 1)
    issues.push({ path: 'pageNo', message: 'must be a whole number from 1' });
  if (!Number.isInteger(options.releaseTimeFrom) || !Number.isInteger(options.releaseTimeTo)) {
    issues.push({
      path: 'releaseTimeFrom',
      message: 'releaseTimeFrom and releaseTimeTo must be whole seconds',
    });
  } else if (options.releaseTimeFrom > options.releaseTimeTo) {
    issues.push({ path: 'releaseTimeTo', message: 'must not be before releaseTimeFrom' });
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid get_escrow_list options', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/payment/get_escrow_list',
      query: {
        release_time_from: options.releaseTimeFrom,
        release_time_to: options.releaseTimeTo,
        page_size: pageSize,
        page_no: pageNo,
      },
      accountId: scope.accountId,
      operation: 'payment.get_escrow_list',
      signal: scope.signal,
    },
    ShopeeEscrowListResponse,
  );
  return response;
}

/**
 * Every escrow released between two moments (Unix seconds), in 15-day windows, page by page.
 * An order on a window boundary is yielded once. A page that says `more` but is empty stops the
 * walk with an error rather than looping.
 */
export async function* iterateEscrowList(
  scope: ShopeeScope,
  options: { releaseTimeFrom: number; releaseTimeTo: number; pageSize?: number | undefined },
): AsyncGenerator<ShopeeEscrowListEntry[]> {
  const seen = new Set<string>();
  const windows = sliceShopeeTimeRange(
    options.releaseTimeFrom,
    options.releaseTimeTo,
    SHOPEE_ESCROW_WINDOW_SECONDS,
  );
  for (const window of windows) {
    const pages = paginate<ShopeeEscrowListResponse, number>({
      first: 1,
      fetchPage: (pageNo) =>
        getEscrowList(scope, {
          releaseTimeFrom: window.from,
          releaseTimeTo: window.to,
          pageSize: options.pageSize,
          pageNo,
        }),
      nextCursor: (page, pageNo) => {
        if (!page.more) return undefined;
        if ((page.escrow_list ?? []).length === 0) {
          throw new MlhError(
            'Shopee get_escrow_list said more but sent an empty page; stopping to avoid a loop',
            {
              marketplace: SHOPEE,
              code: 'empty_page',
            },
          );
        }
        return (pageNo ?? 1) + 1;
      },
      repeated: (pageNo) =>
        new MlhError(`Shopee get_escrow_list page ${pageNo} asked for twice`, {
          marketplace: SHOPEE,
          code: 'repeated_cursor',
        }),
      signal: scope.signal,
    });
    for await (const page of pages) {
      const fresh = (page.escrow_list ?? []).filter((entry) => {
        if (seen.has(entry.order_sn)) return false;
        seen.add(entry.order_sn);
        return true;
      });
      if (fresh.length > 0) yield fresh;
    }
  }
}
