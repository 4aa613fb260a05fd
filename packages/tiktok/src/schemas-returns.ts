import * as z from 'zod/mini';

/**
 * zod/mini schemas of the raw payloads of TikTok Shop's `return_refund` module (reference
 * catalog-and-after-sale §3). Objects keep unknown fields; statuses, types and reasons are open
 * strings (TikTok spells several two ways); amounts stay decimal strings.
 */

/** An id: TikTok sends strings; a number (old samples) becomes its decimal string. */
const Id = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value) => String(value)),
);

/** Unix seconds as a number or digits. */
const Seconds = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+$/))]),
  z.transform((value) => Number(value)),
);

/** A decimal amount: a string as sent, or a number turned into its shortest decimal text. */
const Decimal = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value) => String(value)),
);

/** `refund_amount` of returns, cancellations and their lines. */
export const TikTokRefundAmount = z.looseObject({
  currency: z.optional(z.string()),
  refund_total: z.optional(Decimal),
  refund_subtotal: z.optional(Decimal),
  refund_shipping_fee: z.optional(Decimal),
  refund_tax: z.optional(Decimal),
});
/** A refund breakdown. */
export type TikTokRefundAmount = z.infer<typeof TikTokRefundAmount>;

/** `seller_next_action_response[]`: what the seller must do, by when. */
export const TikTokNextAction = z.looseObject({
  action: z.optional(z.string()),
  deadline: z.optional(Seconds),
});

/** One line of a return (`return_line_items[]`) or cancellation (`cancel_line_items[]`). */
export const TikTokReturnLineItem = z.looseObject({
  return_line_item_id: z.optional(Id),
  cancel_line_item_id: z.optional(Id),
  order_line_item_id: z.optional(Id),
  sku_id: z.optional(Id),
  sku_name: z.optional(z.string()),
  seller_sku: z.optional(z.string()),
  product_name: z.optional(z.string()),
  product_image: z.optional(z.looseObject({ url: z.optional(z.string()) })),
  refund_amount: z.optional(TikTokRefundAmount),
});
/** One line of a return or cancellation. */
export type TikTokReturnLineItem = z.infer<typeof TikTokReturnLineItem>;

/** A return as Search Returns lists it (`data.return_orders[]`). */
export const TikTokReturn = z.looseObject({
  return_id: Id,
  order_id: z.optional(Id),
  /** `REFUND`, `RETURN_AND_REFUND`, `REPLACEMENT`. */
  return_type: z.optional(z.string()),
  return_status: z.optional(z.string()),
  role: z.optional(z.string()),
  return_reason: z.optional(z.string()),
  return_reason_text: z.optional(z.string()),
  refund_amount: z.optional(TikTokRefundAmount),
  return_line_items: z.optional(z.array(TikTokReturnLineItem)),
  shipment_type: z.optional(z.string()),
  handover_method: z.optional(z.string()),
  return_method: z.optional(z.string()),
  return_tracking_number: z.optional(z.string()),
  return_provider_name: z.optional(z.string()),
  arbitration_status: z.optional(z.string()),
  seller_next_action_response: z.optional(z.array(TikTokNextAction)),
  can_buyer_keep_item: z.optional(z.boolean()),
  partial_refund: z.optional(
    z.looseObject({ amount: z.optional(Decimal), currency: z.optional(z.string()) }),
  ),
  seller_proposed_return_type: z.optional(z.string()),
  buyer_rejected_partial_refund: z.optional(z.boolean()),
  create_time: z.optional(Seconds),
  update_time: z.optional(Seconds),
});
/** A TikTok Shop return. */
export type TikTokReturn = z.infer<typeof TikTokReturn>;

/** `data` of Search Returns. */
export const TikTokReturnSearchData = z.looseObject({
  return_orders: z.optional(z.array(TikTokReturn)),
  next_page_token: z.optional(z.string()),
  total_count: z.optional(z.number()),
});

/** A buyer's (or the system's) cancellation request (`data.cancellations[]`). */
export const TikTokCancellation = z.looseObject({
  cancel_id: Id,
  order_id: z.optional(Id),
  cancel_status: z.optional(z.string()),
  /** `CANCEL` (seller/system) or `BUYER_CANCEL` (needs the seller's answer). */
  cancel_type: z.optional(z.string()),
  role: z.optional(z.string()),
  cancel_reason: z.optional(z.string()),
  cancel_reason_text: z.optional(z.string()),
  refund_amount: z.optional(TikTokRefundAmount),
  cancel_line_items: z.optional(z.array(TikTokReturnLineItem)),
  seller_next_action_response: z.optional(z.array(TikTokNextAction)),
  create_time: z.optional(Seconds),
  update_time: z.optional(Seconds),
});
/** A TikTok Shop cancellation request. */
export type TikTokCancellation = z.infer<typeof TikTokCancellation>;

/** `data` of Search Cancellations. */
export const TikTokCancellationSearchData = z.looseObject({
  cancellations: z.optional(z.array(TikTokCancellation)),
  next_page_token: z.optional(z.string()),
  total_count: z.optional(z.number()),
});

/** One entry of a return's timeline (`data.records[]`). */
export const TikTokReturnRecord = z.looseObject({
  event: z.optional(z.string()),
  /** Upper case in the spec, `"Buyer"` in the sample: compare case-insensitively. */
  role: z.optional(z.string()),
  description: z.optional(z.string()),
  reason_text: z.optional(z.string()),
  note: z.optional(z.string()),
  create_time: z.optional(Seconds),
  images: z.optional(z.array(z.looseObject({ url: z.optional(z.string()) }))),
  videos: z.optional(z.array(z.looseObject({ url: z.optional(z.string()) }))),
});
/** One entry of a return's timeline. */
export type TikTokReturnRecord = z.infer<typeof TikTokReturnRecord>;

/** `data` of Get Return Records. */
export const TikTokReturnRecordsData = z.looseObject({
  records: z.optional(z.array(TikTokReturnRecord)),
});

/** A reject reason (`data.reasons[]`). */
export const TikTokRejectReason = z.looseObject({
  name: z.string(),
  text: z.optional(z.string()),
});
/** A reason the seller may reject a return or cancellation with. */
export type TikTokRejectReason = z.infer<typeof TikTokRejectReason>;

/** `data` of Get Reject Reasons. */
export const TikTokRejectReasonsData = z.looseObject({
  reasons: z.optional(z.array(TikTokRejectReason)),
});

/** `data` of the approve/reject calls (empty or absent). */
export const TikTokReturnActionData = z.nullish(z.looseObject({}));
