import * as z from 'zod/mini';

/**
 * zod/mini schemas of the raw payloads of Shopee's `returns` module (reference
 * catalog-and-after-sale §2). Every object keeps unknown fields, every enum-like string is open
 * (Shopee adds values and spells some two ways), ids are strings (bodies are parsed losslessly, so
 * an int64 id arrives as its exact digits) and amounts stay as sent until the mapper turns them
 * into exact decimal strings.
 */

/** An id sent as a number or a string, kept as its decimal string. */
const Id = z.pipe(
  z.union([z.string(), z.number(), z.bigint()]),
  z.transform((value) => String(value)),
);

/** A Unix time in seconds (a number, or digits in a string). */
const Seconds = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+$/))]),
  z.transform((value) => Number(value)),
);

/** A float amount as Shopee sends it (number, or a decimal string in `activity[]`). */
export const ShopeeReturnAmount = z.union([z.number(), z.string().check(z.regex(/^-?\d+(\.\d+)?$/))]);
/** A float amount as Shopee sends it. */
export type ShopeeReturnAmount = z.infer<typeof ShopeeReturnAmount>;

/**
 * A field the reference types as `string[]` while its samples send a number or a string
 * (`dispute_reason`): read as a list of strings whatever comes.
 */
const StringList = z.pipe(
  z.union([z.array(z.union([z.string(), z.number()])), z.string(), z.number(), z.null()]),
  z.transform((value) =>
    value === null ? [] : Array.isArray(value) ? value.map(String) : value === '' ? [] : [String(value)],
  ),
);

/** One line of a return (`item[]`). */
export const ShopeeReturnItem = z.looseObject({
  item_id: Id,
  model_id: z.nullish(Id),
  name: z.nullish(z.string()),
  images: z.nullish(z.array(z.string())),
  /** The quantity returned. */
  amount: z.nullish(z.number()),
  item_price: z.nullish(ShopeeReturnAmount),
  item_sku: z.nullish(z.string()),
  variation_sku: z.nullish(z.string()),
  is_add_on_deal: z.nullish(z.boolean()),
  is_main_item: z.nullish(z.boolean()),
  add_on_deal_id: z.nullish(Id),
  /** Partial-quantity returns (whitelisted shops): this line's refund. */
  refund_amount: z.nullish(ShopeeReturnAmount),
});
/** One line of a Shopee return. */
export type ShopeeReturnItem = z.infer<typeof ShopeeReturnItem>;

/** `negotiation` of the return detail. */
export const ShopeeReturnNegotiation = z.looseObject({
  negotiation_status: z.nullish(z.string()),
  latest_solution: z.nullish(z.string()),
  latest_offer_amount: z.nullish(ShopeeReturnAmount),
  latest_offer_creator: z.nullish(z.string()),
  counter_limit: z.nullish(z.number()),
  offer_due_date: z.nullish(Seconds),
});

/** `seller_proof` of the return detail. */
export const ShopeeSellerProof = z.looseObject({
  seller_proof_status: z.nullish(z.string()),
  seller_evidence_deadline: z.nullish(Seconds),
});

/** `seller_compensation` of the return detail. */
export const ShopeeSellerCompensation = z.looseObject({
  seller_compensation_status: z.nullish(z.string()),
  seller_compensation_due_date: z.nullish(Seconds),
  compensation_amount: z.nullish(ShopeeReturnAmount),
});

/**
 * A return as `get_return_list` lists it and `get_return_detail` describes it (the detail adds
 * the negotiation, proof, compensation and logistics blocks).
 */
export const ShopeeReturn = z.looseObject({
  return_sn: Id,
  order_sn: z.nullish(z.string()),
  /** `REQUESTED`, `PROCESSING`, `ACCEPTED`, `CANCELLED`, `JUDGING`, `SELLER_DISPUTE`, `CLOSED` (some texts prefix `RETURN_`). */
  status: z.nullish(z.string()),
  reason: z.nullish(z.string()),
  text_reason: z.nullish(z.string()),
  reassessed_request_reason: z.nullish(z.string()),
  image: z.nullish(z.array(z.string())),
  buyer_videos: z.nullish(
    z.array(z.looseObject({ thumbnail_url: z.nullish(z.string()), video_url: z.nullish(z.string()) })),
  ),
  refund_amount: z.nullish(ShopeeReturnAmount),
  amount_before_discount: z.nullish(ShopeeReturnAmount),
  currency: z.nullish(z.string()),
  create_time: z.nullish(Seconds),
  update_time: z.nullish(Seconds),
  /** The seller's deadline to respond. */
  due_date: z.nullish(Seconds),
  return_ship_due_date: z.nullish(Seconds),
  return_seller_due_date: z.nullish(Seconds),
  tracking_number: z.nullish(z.string()),
  needs_logistics: z.nullish(z.boolean()),
  dispute_reason: z.optional(StringList),
  dispute_text_reason: z.optional(StringList),
  user: z.nullish(z.looseObject({ username: z.nullish(z.string()), email: z.nullish(z.string()) })),
  item: z.nullish(z.array(ShopeeReturnItem)),
  negotiation_status: z.nullish(z.string()),
  seller_proof_status: z.nullish(z.string()),
  seller_compensation_status: z.nullish(z.string()),
  return_refund_type: z.nullish(z.string()),
  /** `0` return and refund, `1` refund only. */
  return_solution: z.nullish(z.number()),
  is_seller_arrange: z.nullish(z.boolean()),
  is_shipping_proof_mandatory: z.nullish(z.boolean()),
  /** `0` normal, `1` in transit, `2` return on the spot. */
  return_refund_request_type: z.nullish(z.number()),
  validation_type: z.nullish(z.string()),
  negotiation: z.nullish(ShopeeReturnNegotiation),
  seller_proof: z.nullish(ShopeeSellerProof),
  seller_compensation: z.nullish(ShopeeSellerCompensation),
  logistics_status: z.nullish(z.string()),
  /** Spelt both ways in the documentation: read both. */
  reverse_logistics_status: z.nullish(z.string()),
  reverse_logistic_status: z.nullish(z.string()),
});
/** A Shopee return (list entry or detail). */
export type ShopeeReturn = z.infer<typeof ShopeeReturn>;

/** `response` of `GET /api/v2/returns/get_return_list` (the array key is literally `return`). */
export const ShopeeReturnListResponse = z.looseObject({
  more: z.nullish(z.boolean()),
  return: z.nullish(z.array(ShopeeReturn)),
});
/** One page of `get_return_list`. */
export type ShopeeReturnListResponse = z.infer<typeof ShopeeReturnListResponse>;

/** One solution of `get_available_solutions`. */
export const ShopeeSolutionOption = z.looseObject({
  eligibility: z.nullish(z.boolean()),
  refund_amount_adjustable: z.nullish(z.boolean()),
  max_refund_amount: z.nullish(ShopeeReturnAmount),
  min_refund_amount: z.nullish(ShopeeReturnAmount),
});
/** One solution the seller may offer. */
export type ShopeeSolutionOption = z.infer<typeof ShopeeSolutionOption>;

/** `response` of `GET /api/v2/returns/get_available_solutions`. */
export const ShopeeAvailableSolutions = z.looseObject({
  return_sn: z.nullish(Id),
  offer_return_refund: z.nullish(ShopeeSolutionOption),
  offer_refund: z.nullish(ShopeeSolutionOption),
});
/** What the seller may offer on a return. */
export type ShopeeAvailableSolutions = z.infer<typeof ShopeeAvailableSolutions>;

/** `response` of `offer`, `accept_offer`, `confirm`, `dispute` and `cancel_dispute`. */
export const ShopeeReturnActionResponse = z.looseObject({
  return_sn: z.nullish(Id),
  msg: z.nullish(z.string()),
  message: z.nullish(z.string()),
});

/** One dispute reason of `get_return_dispute_reason`. */
export const ShopeeDisputeReason = z.looseObject({
  /** Retyped int32 → string in 2026 while samples still show numbers: kept as a string. */
  dispute_reason: Id,
  dispute_requirement: z.nullish(z.string()),
  evidence_module_list: z.nullish(
    z.array(
      z.looseObject({
        module_index: z.number(),
        requirement: z.nullish(z.string()),
        is_required: z.nullish(z.boolean()),
      }),
    ),
  ),
});
/** A reason the seller may dispute a return with. */
export type ShopeeDisputeReason = z.infer<typeof ShopeeDisputeReason>;

/** `response` of `GET /api/v2/returns/get_return_dispute_reason`. */
export const ShopeeDisputeReasonResponse = z.looseObject({
  dispute_reason_list: z.nullish(z.array(ShopeeDisputeReason)),
});

/** `response` of `POST /api/v2/returns/convert_image`. */
export const ShopeeConvertedImage = z.looseObject({
  url: z.string(),
  thumbnail: z.nullish(z.string()),
});
/** An evidence image stored by Shopee. */
export type ShopeeConvertedImage = z.infer<typeof ShopeeConvertedImage>;

/** `response` of `GET /api/v2/returns/query_proof`. */
export const ShopeeReturnProof = z.looseObject({
  image: z.nullish(z.array(ShopeeConvertedImage)),
  video: z.nullish(z.array(z.looseObject({ url: z.nullish(z.string()), thumbnail: z.nullish(z.string()) }))),
  description: z.nullish(z.string()),
});
/** The seller's evidence on a return. */
export type ShopeeReturnProof = z.infer<typeof ShopeeReturnProof>;
