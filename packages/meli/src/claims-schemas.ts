import * as z from 'zod/mini';

/*
 * zod/mini schemas of the post-purchase payloads (claims, their returns, partial-refund offers,
 * return-review reasons). The returns part of `schemas.ts`, kept in its own file while the rest
 * of that file moves to zod/mini. Same rules: every object keeps unknown fields, nullable fields
 * accept `null` and absence, numeric ids accept numbers or strings.
 */

const id = /* @__PURE__ */ (() => z.union([z.number(), z.string().check(z.minLength(1))]))();
const text = /* @__PURE__ */ (() => z.nullish(z.string()))();

/** An array that may be absent or null; read as an empty array. */
function list<T extends z.ZodMiniType>(item: T) {
  return z.pipe(
    z.nullish(z.array(item)),
    z.transform((value): z.infer<T>[] => value ?? []),
  );
}

/** One action a player may take now: `{action, mandatory, due_date}`. */
export const MeliClaimAction = /* @__PURE__ */ (() =>
  z.looseObject({
    action: z.string().check(z.minLength(1)),
    mandatory: z.nullish(z.boolean()),
    due_date: text,
  }))();
export type MeliClaimAction = z.infer<typeof MeliClaimAction>;

/** A party of a claim: `complainant` (buyer), `respondent` (seller), `mediator` (Mercado Livre). */
export const MeliClaimPlayer = /* @__PURE__ */ (() =>
  z.looseObject({
    role: z.string(),
    type: text,
    user_id: z.nullish(id),
    available_actions: list(MeliClaimAction),
  }))();
export type MeliClaimPlayer = z.infer<typeof MeliClaimPlayer>;

/** `GET /post-purchase/v1/claims/{id}` and each entry of the claim search. */
export const MeliClaim = /* @__PURE__ */ (() =>
  z.looseObject({
    id,
    resource: text,
    resource_id: z.nullish(id),
    /** `opened` or `closed`. */
    status: z.string().check(z.minLength(1)),
    /** `mediations`, `return`, `fulfillment`, `ml_case`, `cancel_sale`, `cancel_purchase`, `change`, `service`; open. */
    type: text,
    /** `claim`, `dispute`, `recontact`, `stale`, `none`; open. */
    stage: text,
    reason_id: text,
    fulfilled: z.nullish(z.boolean()),
    quantity_type: text,
    claimed_quantity: z.nullish(z.number()),
    parent_id: z.nullish(id),
    players: list(MeliClaimPlayer),
    resolution: z.nullish(
      z.looseObject({
        reason: text,
        date_created: text,
        benefited: list(z.string()),
        closed_by: text,
      }),
    ),
    site_id: text,
    date_created: z.string().check(z.minLength(1)),
    last_updated: text,
    /** `return`, `change`, ...: read as strings, whatever their wrapping. */
    related_entities: list(z.unknown()),
  }))();
export type MeliClaim = z.infer<typeof MeliClaim>;

/** `GET /post-purchase/v1/claims/search`: `{paging, data}`. */
export const MeliClaimSearch = /* @__PURE__ */ (() =>
  z.looseObject({
    paging: z.nullish(
      z.looseObject({
        total: z.nullish(z.number()),
        offset: z.nullish(z.number()),
        limit: z.nullish(z.number()),
      }),
    ),
    data: list(MeliClaim),
  }))();
export type MeliClaimSearch = z.infer<typeof MeliClaimSearch>;

/** A quantity as returns send it: a decimal string (`"1.0"`) or a number. */
const quantity = /* @__PURE__ */ (() => z.nullish(z.union([z.number(), z.string()])))();

/** One shipment of a return: to the seller or a warehouse, and back from triage. */
export const MeliReturnShipment = /* @__PURE__ */ (() =>
  z.looseObject({
    shipment_id: z.nullish(id),
    status: text,
    tracking_number: text,
    /** `return` or `return_from_triage`. */
    type: text,
    destination: z.nullish(z.looseObject({ name: text })),
  }))();
export type MeliReturnShipment = z.infer<typeof MeliReturnShipment>;

/** `GET /post-purchase/v2/claims/{id}/returns`: the return of a claim. */
export const MeliReturn = /* @__PURE__ */ (() =>
  z.looseObject({
    id,
    claim_id: z.nullish(id),
    resource_type: text,
    resource_id: z.nullish(id),
    type: text,
    /** `low_cost`, `return_partial`, `return_total`. */
    subtype: text,
    status: z.string().check(z.minLength(1)),
    /** `retained`, `refunded`, `available`. */
    status_money: text,
    refund_at: text,
    related_entities: list(z.unknown()),
    shipments: list(MeliReturnShipment),
    orders: list(
      z.looseObject({
        order_id: z.nullish(id),
        item_id: text,
        variation_id: z.nullish(id),
        context_type: text,
        total_quantity: quantity,
        return_quantity: quantity,
      }),
    ),
    date_created: text,
    date_closed: text,
    last_updated: text,
  }))();
export type MeliReturn = z.infer<typeof MeliReturn>;

/** `GET …/claims/{id}/partial-refund/available-offers`. */
export const MeliPartialRefundOffers = /* @__PURE__ */ (() =>
  z.looseObject({
    currency_id: text,
    available_offers: list(
      z.looseObject({
        amount: z.nullish(z.union([z.number(), z.string()])),
        percentage: z.nullish(z.number()),
      }),
    ),
  }))();
export type MeliPartialRefundOffers = z.infer<typeof MeliPartialRefundOffers>;

/** `GET /post-purchase/v1/returns/reasons?flow=seller_return_failed`: a list of reasons. */
export const MeliReturnReasons = /* @__PURE__ */ (() =>
  z.pipe(
    z.union([
      z.array(z.looseObject({ id: z.string(), name: text, detail: text, apply: z.optional(z.unknown()) })),
      z.looseObject({ data: z.array(z.looseObject({ id: z.string(), name: text, detail: text })) }),
    ]),
    z.transform((value) => (Array.isArray(value) ? value : value.data)),
  ))();
export type MeliReturnReasons = z.infer<typeof MeliReturnReasons>;

/** The answer to an attachment upload: `{user_id, filename}` or `{user_id, file_name}`. */
export const MeliClaimAttachment = /* @__PURE__ */ (() =>
  z.looseObject({
    user_id: z.nullish(id),
    filename: text,
    file_name: text,
  }))();
export type MeliClaimAttachment = z.infer<typeof MeliClaimAttachment>;

/** `GET …/claims/{id}/expected-resolutions`: what each side expects, and whether it was accepted. */
export const MeliExpectedResolutions = list(
  z.looseObject({
    player_role: text,
    user_id: z.nullish(id),
    /** `product`, `refund`, `change_product`, `return_product`, `partial_refund`; open. */
    expected_resolution: text,
    /** `pending`, `accepted`, `rejected`. */
    status: text,
    date_created: text,
    last_updated: text,
  }),
);
export type MeliExpectedResolutions = z.infer<typeof MeliExpectedResolutions>;
