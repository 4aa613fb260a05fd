import { roundDecimal } from '@mlh/core';
import * as z from 'zod';
import type { ShopeeContext, ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import { optionalIntQuery, parseBody, requiredIntQuery, requiredQuery } from './params';
import { multiplyDecimal, priceJson, sumDecimals } from './prices';
import { type ShopeeOrderRecord, TWO_DECIMAL_REGIONS } from './state';

/**
 * The payment module (reference "catalog and after-sale" §3): the escrow of an order, computed
 * from the order itself so it agrees with `get_order_detail` (goods at the price paid, the
 * buyer's shipping fee, the carrier's fee), with fees at {@link ShopeeEscrowRates}. The escrow
 * exists once the order is paid, changes until it is COMPLETED, and is released then
 * (`get_escrow_list` lists it by that release time). Drivers add post-settlement adjustments and
 * fees under names the SDK does not know, so a client's arithmetic can be checked both ways.
 */

/** Fee rates the sandbox charges, in percent. */
export interface ShopeeEscrowRates {
  /** `commission_fee`, of the goods at the price paid. Default 14. */
  commissionPercent: number;
  /** `service_fee`, of the goods at the price paid. Default 6. */
  serviceFeePercent: number;
  /** `seller_transaction_fee`, of what the buyer paid. Default 0 (Brazil charges none). */
  transactionFeePercent: number;
}

/** The sandbox's default fee rates (illustrative, not Shopee's). */
export const SHOPEE_DEFAULT_ESCROW_RATES: Readonly<ShopeeEscrowRates> = Object.freeze({
  commissionPercent: 14,
  serviceFeePercent: 6,
  transactionFeePercent: 0,
});

/** Most orders per `get_escrow_detail_batch` call. */
export const SHOPEE_ESCROW_BATCH_MAX = 50;

interface EscrowExtras {
  adjustments: Array<{ amount: string; reason: string; date: number }>;
  /** Fees charged under field names of a newer API than the client knows. */
  unmodelledFees: Record<string, string>;
}

const extrasOf = new WeakMap<ShopeeOrderRecord, EscrowExtras>();

function extras(order: ShopeeOrderRecord): EscrowExtras {
  let found = extrasOf.get(order);
  if (!found) {
    found = { adjustments: [], unmodelledFees: {} };
    extrasOf.set(order, found);
  }
  return found;
}

/** Records a post-settlement adjustment of an order's escrow (`order_adjustment`). */
export function adjustEscrow(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  input: { amount: string; reason: string },
): void {
  extras(order).adjustments.push({
    amount: input.amount,
    reason: input.reason,
    date: Math.floor(context.clock.now() / 1000),
  });
}

/** Charges a fee under a field name the reference does not list (Shopee adds fields often). */
export function chargeUnmodelledFee(order: ShopeeOrderRecord, field: string, amount: string): void {
  extras(order).unmodelledFees[field] = amount;
}

function negate(value: string): string {
  return value.startsWith('-') ? value.slice(1) : value === '0' ? value : `-${value}`;
}

/** `amount × percent / 100`, exactly, rounded half up to the market's decimals. */
function percentOf(amount: string, percent: number, region: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  const hundredths = BigInt(Math.round(percent * 100));
  const units = BigInt(whole + fraction) * hundredths;
  const scale = fraction.length + 4;
  const digits = units.toString().padStart(scale + 1, '0');
  const exact = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  const rounded = roundDecimal(exact, TWO_DECIMAL_REGIONS.has(region) ? 2 : 0);
  return sumDecimals([rounded]);
}

function hasEscrow(order: ShopeeOrderRecord): boolean {
  return order.payTime !== undefined && order.status !== 'UNPAID';
}

/** The figures of an order's escrow, as decimal strings. */
export function escrowFigures(order: ShopeeOrderRecord, rates: ShopeeEscrowRates) {
  const goods = sumDecimals(order.lines.map((line) => multiplyDecimal(line.discountedPrice, line.quantity)));
  const original = sumDecimals(order.lines.map((line) => multiplyDecimal(line.originalPrice, line.quantity)));
  const buyerShipping = order.estimatedShippingFee;
  const actualShipping = order.actualShippingFee ?? order.estimatedShippingFee;
  const commission = percentOf(goods, rates.commissionPercent, order.region);
  const service = percentOf(goods, rates.serviceFeePercent, order.region);
  const transaction = percentOf(
    sumDecimals([goods, buyerShipping]),
    rates.transactionFeePercent,
    order.region,
  );
  const { adjustments, unmodelledFees } = extras(order);
  const escrow = sumDecimals([
    goods,
    buyerShipping,
    negate(actualShipping),
    negate(transaction),
    negate(service),
    negate(commission),
    ...Object.values(unmodelledFees).map(negate),
  ]);
  const totalAdjustment = sumDecimals(adjustments.map((adjustment) => adjustment.amount));
  return {
    goods,
    original,
    buyerShipping,
    actualShipping,
    commission,
    service,
    transaction,
    escrow,
    totalAdjustment,
    afterAdjustment: sumDecimals([escrow, totalAdjustment]),
    adjustments,
    unmodelledFees,
  };
}

/** `get_escrow_detail`'s `response` for an order. */
export function escrowDetailJson(order: ShopeeOrderRecord, rates: ShopeeEscrowRates): JsonWritable {
  const f = escrowFigures(order, rates);
  const brazil = order.region === 'BR';
  const income: { [key: string]: JsonWritable } = {
    escrow_amount: priceJson(f.escrow),
    buyer_total_amount: priceJson(order.totalAmount),
    order_original_price: priceJson(f.original),
    original_price: priceJson(f.original),
    order_selling_price: priceJson(f.goods),
    order_discounted_price: priceJson(f.goods),
    order_seller_discount: priceJson(sumDecimals([f.original, negate(f.goods)])),
    original_cost_of_goods_sold: priceJson(f.goods),
    cost_of_goods_sold: priceJson(f.goods),
    seller_discount: priceJson(sumDecimals([f.original, negate(f.goods)])),
    shopee_discount: priceJson('0'),
    original_shopee_discount: priceJson('0'),
    voucher_from_seller: priceJson('0'),
    voucher_from_shopee: priceJson('0'),
    coins: priceJson('0'),
    seller_coin_cash_back: priceJson('0'),
    buyer_paid_shipping_fee: priceJson(f.buyerShipping),
    buyer_transaction_fee: priceJson('0'),
    estimated_shipping_fee: priceJson(order.estimatedShippingFee),
    actual_shipping_fee: priceJson(f.actualShipping),
    final_shipping_fee: priceJson(sumDecimals([f.buyerShipping, negate(f.actualShipping)])),
    shopee_shipping_rebate: priceJson('0'),
    shipping_fee_discount_from_3pl: priceJson('0'),
    seller_shipping_discount: priceJson('0'),
    reverse_shipping_fee: priceJson('0'),
    commission_fee: priceJson(f.commission),
    service_fee: priceJson(f.service),
    seller_transaction_fee: priceJson(f.transaction),
    credit_card_transaction_fee: priceJson(f.transaction),
    campaign_fee: priceJson('0'),
    order_ams_commission_fee: priceJson('0'),
    seller_return_refund: priceJson('0'),
    drc_adjustable_refund: priceJson('0'),
    escrow_tax: priceJson('0'),
    withholding_tax: priceJson('0'),
    buyer_payment_method: order.paymentMethod,
    instalment_plan: '',
    seller_voucher_code: [],
    total_adjustment_amount: priceJson(f.totalAdjustment),
    escrow_amount_after_adjustment: priceJson(f.afterAdjustment),
    items: order.lines.map((line) => ({
      item_id: line.itemId,
      item_name: line.itemName,
      item_sku: line.itemSku,
      model_id: line.modelId,
      model_name: line.modelName,
      model_sku: line.modelSku,
      quantity_purchased: line.quantity,
      original_price: priceJson(multiplyDecimal(line.originalPrice, line.quantity)),
      selling_price: priceJson(multiplyDecimal(line.discountedPrice, line.quantity)),
      discounted_price: priceJson(multiplyDecimal(line.discountedPrice, line.quantity)),
      seller_discount: priceJson(
        sumDecimals([
          multiplyDecimal(line.originalPrice, line.quantity),
          negate(multiplyDecimal(line.discountedPrice, line.quantity)),
        ]),
      ),
      shopee_discount: priceJson('0'),
      activity_type: '',
      activity_id: 0,
      is_main_item: false,
    })),
  };
  // The reference's addendum: `order_adjustment` is absent when there is none.
  if (f.adjustments.length > 0) {
    income.order_adjustment = f.adjustments.map((adjustment) => ({
      amount: priceJson(adjustment.amount),
      date: adjustment.date,
      currency: order.currency,
      adjustment_reason: adjustment.reason,
    }));
  }
  for (const [field, amount] of Object.entries(f.unmodelledFees)) income[field] = priceJson(amount);
  if (brazil) {
    income.net_commission_fee = priceJson(f.commission);
    income.net_service_fee = priceJson(f.service);
    income.net_commission_fee_info_list = [
      { rule_id: 1, fee_amount: priceJson(f.commission), rule_display_name: 'Comissão' },
    ];
    income.net_service_fee_info_list = [
      {
        rule_id: 2,
        fee_amount: priceJson(f.service),
        rule_display_name: 'Taxa de serviço',
        category: 'service',
      },
    ];
    income.pix_discount = priceJson('0');
  }
  return {
    order_sn: order.orderSn,
    buyer_user_name: order.buyerUsername,
    return_order_sn_list: [],
    order_income: income,
    buyer_payment_info: {
      buyer_payment_method: order.paymentMethod,
      buyer_total_amount: priceJson(order.totalAmount),
      merchant_subtotal: priceJson(f.goods),
      shipping_fee: priceJson(f.buyerShipping),
      seller_voucher: priceJson('0'),
      shopee_voucher: priceJson('0'),
      shopee_coins_redeemed: priceJson('0'),
      ...(brazil ? { discount_pix: priceJson('0') } : {}),
    },
  };
}

function ownOrder(context: ShopeeContext, shopId: number, orderSn: string): ShopeeOrderRecord {
  const order = context.state.orders.get(orderSn);
  if (!order || order.shopId !== shopId) {
    throw new ShopeeApiError('order_not_found', 'Order SN provided is invalid or does not belong to you');
  }
  return order;
}

function requireEscrow(order: ShopeeOrderRecord): void {
  if (!hasEscrow(order)) {
    throw new ShopeeApiError('income_not_found', `No income for order ${order.orderSn} yet.`);
  }
}

const BatchBody = z.object({
  order_sn_list: z.array(z.string().min(1)).min(1).max(SHOPEE_ESCROW_BATCH_MAX),
});

/** The payment endpoints. */
export const paymentEndpoints: Readonly<Record<string, ShopeeEndpoint>> = {
  '/api/v2/payment/get_escrow_detail': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const order = ownOrder(context, call.shop!.shopId, requiredQuery(call.query, 'order_sn'));
      requireEscrow(order);
      return envelopeResponse(escrowDetailJson(order, context.escrowRates));
    },
  },
  // The reference's metadata says GET; integrations POST a JSON body (reference §3.4).
  '/api/v2/payment/get_escrow_detail_batch': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(BatchBody, call.body);
      const details = body.order_sn_list.map((orderSn) => {
        const order = ownOrder(context, call.shop!.shopId, orderSn);
        requireEscrow(order);
        return { escrow_detail: escrowDetailJson(order, context.escrowRates) };
      });
      return envelopeResponse(details);
    },
  },
  '/api/v2/payment/get_escrow_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const from = requiredIntQuery(call.query, 'release_time_from');
      const to = requiredIntQuery(call.query, 'release_time_to');
      const pageSize = optionalIntQuery(call.query, 'page_size') ?? 40;
      const pageNo = optionalIntQuery(call.query, 'page_no') ?? 1;
      if (pageSize < 1 || pageSize > 100)
        throw new ShopeeApiError('error_param', 'page_size should be 1-100.');
      if (pageNo < 1) throw new ShopeeApiError('error_param', 'page_no should start from 1.');
      if (from > to)
        throw new ShopeeApiError('error_param', 'release_time_from is later than release_time_to.');
      const released = [...context.state.orders.values()]
        .filter(
          (order) =>
            order.shopId === call.shop!.shopId &&
            order.completeTime !== undefined &&
            order.completeTime >= from &&
            order.completeTime <= to,
        )
        .sort((a, b) => (a.completeTime ?? 0) - (b.completeTime ?? 0) || a.orderSn.localeCompare(b.orderSn));
      const page = released.slice((pageNo - 1) * pageSize, pageNo * pageSize);
      return envelopeResponse({
        more: pageNo * pageSize < released.length,
        escrow_list: page.map((order) => ({
          order_sn: order.orderSn,
          payout_amount: priceJson(escrowFigures(order, context.escrowRates).afterAdjustment),
          escrow_release_time: order.completeTime ?? 0,
        })),
      });
    },
  },
};
