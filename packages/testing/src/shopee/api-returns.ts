/** The `returns` module of the Shopee sandbox (reference catalog-and-after-sale §2). */
import * as z from 'zod';
import { nowSeconds, type ShopeeCall, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import { optionalIntQuery, paramError, parseBody, readForm, requiredQuery } from './params';
import { priceJson } from './prices';
import {
  offerBounds,
  returnOfShop,
  SHOPEE_SANDBOX_DISPUTE_REASONS,
  type ShopeeReturnRecord,
  sellerAcceptOffer,
  sellerConfirm,
  sellerDispute,
  sellerOffer,
  sellerUploadProof,
  settleReturns,
} from './returns';

/** Caps of the returns module. */
export const SHOPEE_RETURN_LIMITS = {
  pageSize: 100,
  windowSeconds: 15 * 24 * 60 * 60,
  imageBytes: 10 * 1024 * 1024,
} as const;

function itemJson(entry: ShopeeReturnRecord): JsonWritable {
  return entry.lines.map((line) => ({
    item_id: line.itemId,
    model_id: line.modelId,
    name: line.name,
    images: [],
    amount: line.quantity,
    item_price: priceJson(line.itemPrice),
    item_sku: line.itemSku,
    variation_sku: line.variationSku,
    is_add_on_deal: false,
    is_main_item: false,
    add_on_deal_id: 0,
  }));
}

/** A return as `get_return_list` lists it. */
export function returnListJson(entry: ShopeeReturnRecord): { [key: string]: JsonWritable } {
  return {
    return_sn: entry.returnSn,
    order_sn: entry.orderSn,
    status: entry.status,
    reason: entry.reason,
    text_reason: entry.textReason,
    reassessed_request_reason: 'NONE',
    image: entry.images,
    refund_amount: priceJson(entry.refundAmount),
    amount_before_discount: priceJson(entry.amountBeforeDiscount),
    currency: entry.currency,
    create_time: entry.createTime,
    update_time: entry.updateTime,
    due_date: entry.dueDate,
    return_ship_due_date: entry.returnShipDueDate ?? 0,
    return_seller_due_date: entry.returnSellerDueDate ?? 0,
    tracking_number: entry.trackingNumber,
    needs_logistics: entry.solution === 0,
    dispute_reason: entry.disputeReasonIds.map(String),
    dispute_text_reason: entry.disputeTextReason,
    user: { username: 'b****r', email: '', portrait: '' },
    item: itemJson(entry),
    negotiation_status: entry.negotiation.status,
    seller_proof_status: entry.sellerProof.status,
    seller_compensation_status: entry.sellerCompensationStatus,
    return_refund_type: 'RRAOC',
    return_solution: entry.solution,
    is_seller_arrange: false,
    is_shipping_proof_mandatory: false,
    return_refund_request_type: 0,
    validation_type: entry.validationType,
  };
}

/** A return as `get_return_detail` describes it. */
export function returnDetailJson(entry: ShopeeReturnRecord): JsonWritable {
  const negotiation = entry.negotiation;
  return {
    ...returnListJson(entry),
    buyer_videos: [],
    negotiation: {
      negotiation_status: negotiation.status,
      latest_solution: negotiation.latestSolution,
      latest_offer_amount:
        negotiation.latestOfferAmount === undefined ? 0 : priceJson(negotiation.latestOfferAmount),
      latest_offer_creator: negotiation.latestOfferCreator,
      counter_limit: negotiation.counterLimit,
      offer_due_date: negotiation.offerDueDate ?? 0,
    },
    seller_proof: {
      seller_proof_status: entry.sellerProof.status,
      seller_evidence_deadline: entry.sellerProof.deadline ?? 0,
    },
    seller_compensation: {
      seller_compensation_status: entry.sellerCompensationStatus,
      seller_compensation_due_date: 0,
      compensation_amount: 0,
    },
    logistics_status: entry.reverseLogisticsStatus,
    reverse_logistics_status: entry.reverseLogisticsStatus,
  };
}

function shopReturn(call: ShopeeCall, context: ShopeeContext, returnSn: string): ShopeeReturnRecord {
  settleReturns(context);
  return returnOfShop(context, call.shop!.shopId, returnSn);
}

function statusMatches(entry: ShopeeReturnRecord, wanted: string | null): boolean {
  if (wanted === null || wanted === '') return true;
  return (
    entry.status ===
    wanted
      .trim()
      .toUpperCase()
      .replace(/^RETURN_/, '')
      .replace('JUDING', 'JUDGING')
  );
}

function readWindow(
  query: URLSearchParams,
  field: 'create_time' | 'update_time',
): { from: number; to: number } | undefined {
  const from = optionalIntQuery(query, `${field}_from`);
  const to = optionalIntQuery(query, `${field}_to`);
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw paramError(`${field}_from and ${field}_to go together.`);
  if (to <= from) throw paramError(`${field}_to should be later than ${field}_from.`);
  if (to - from > SHOPEE_RETURN_LIMITS.windowSeconds)
    throw paramError(`The ${field} range should not exceed 15 days.`);
  return { from, to };
}

const offerBody = z.looseObject({
  return_sn: z.string().min(1),
  proposed_solution: z.enum(['RETURN_REFUND', 'REFUND']),
  proposed_adjusted_refund_amount: z.number().optional(),
});
const snBody = z.looseObject({ return_sn: z.string().min(1) });
const disputeBody = z.looseObject({
  return_sn: z.string().min(1),
  email: z.string().min(1),
  dispute_reason_id: z.number().int(),
  dispute_text_reason: z.string().optional(),
  image_list: z
    .array(
      z.looseObject({
        module_index: z.number().int(),
        requirement: z.string().optional(),
        image_url: z.array(z.string()),
      }),
    )
    .optional(),
});
const cancelDisputeBody = z.looseObject({ return_sn: z.string().min(1), email: z.string().min(1) });
const proofBody = z.looseObject({
  return_sn: z.string().min(1),
  photo: z.array(z.looseObject({ url: z.string(), thumbnail: z.string().optional() })).optional(),
  description: z.string().optional(),
});

/** The amount as the body wrote it, exactly (the lossless parser keeps the literal of a float). */
function amountText(body: unknown): string | undefined {
  const value = (body as Record<string, unknown>).proposed_adjusted_refund_amount;
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** The `returns` endpoints. */
export const returnEndpoints: Readonly<Record<string, ShopeeEndpoint>> = {
  '/api/v2/returns/get_return_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      settleReturns(context);
      const query = call.query;
      // A production integration reports this answer when page_no is left out.
      if (query.get('page_no') === null || query.get('page_no') === '')
        throw new ShopeeApiError('error_data', 'Inner error, please try later. [5]');
      const pageNo = optionalIntQuery(query, 'page_no') ?? 0;
      const pageSize = optionalIntQuery(query, 'page_size');
      if (pageSize === undefined) throw paramError('page_size is required.');
      if (pageNo < 0) throw paramError('page_no should not be negative.');
      if (pageSize < 1 || pageSize > SHOPEE_RETURN_LIMITS.pageSize)
        throw paramError(`page_size should be between 1 and ${SHOPEE_RETURN_LIMITS.pageSize}.`);
      const created = readWindow(query, 'create_time');
      const updated = readWindow(query, 'update_time');
      if (created && updated && updated.from < created.from)
        throw paramError('update_time_from should not be earlier than create_time_from.');
      const matches = [...context.state.returns.values()]
        .filter(
          (entry) =>
            entry.shopId === call.shop!.shopId &&
            (!created || (entry.createTime >= created.from && entry.createTime <= created.to)) &&
            (!updated || (entry.updateTime >= updated.from && entry.updateTime <= updated.to)) &&
            statusMatches(entry, query.get('status')) &&
            (!query.get('negotiation_status') ||
              entry.negotiation.status === query.get('negotiation_status')) &&
            (!query.get('seller_proof_status') ||
              entry.sellerProof.status === query.get('seller_proof_status')),
        )
        .sort((a, b) => b.createTime - a.createTime || (a.returnSn < b.returnSn ? 1 : -1));
      const start = pageNo * pageSize;
      return envelopeResponse({
        more: start + pageSize < matches.length,
        return: matches.slice(start, start + pageSize).map(returnListJson),
      });
    },
  },
  '/api/v2/returns/get_return_detail': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const entry = shopReturn(call, context, requiredQuery(call.query, 'return_sn'));
      return envelopeResponse(returnDetailJson(entry));
    },
  },
  '/api/v2/returns/get_available_solutions': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const entry = shopReturn(call, context, requiredQuery(call.query, 'return_sn'));
      const open =
        (entry.status === 'REQUESTED' || entry.status === 'PROCESSING') &&
        entry.negotiation.status === 'PENDING_RESPOND' &&
        entry.validationType === 'seller_validation';
      const bounds = offerBounds(entry);
      const option = (eligible: boolean) => ({
        eligibility: eligible,
        refund_amount_adjustable: eligible,
        max_refund_amount: priceJson(bounds.max),
        min_refund_amount: priceJson(bounds.min),
      });
      return envelopeResponse({
        return_sn: entry.returnSn,
        offer_return_refund: option(open && entry.status === 'REQUESTED'),
        offer_refund: option(open),
      });
    },
  },
  '/api/v2/returns/offer': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(offerBody, call.body);
      const entry = shopReturn(call, context, body.return_sn);
      sellerOffer(context, entry, body.proposed_solution, amountText(call.body));
      return envelopeResponse({ return_sn: entry.returnSn });
    },
  },
  '/api/v2/returns/accept_offer': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(snBody, call.body);
      const entry = shopReturn(call, context, body.return_sn);
      sellerAcceptOffer(context, entry);
      return envelopeResponse({ return_sn: entry.returnSn });
    },
  },
  '/api/v2/returns/confirm': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(snBody, call.body);
      const entry = shopReturn(call, context, body.return_sn);
      sellerConfirm(context, entry);
      return envelopeResponse({ return_sn: entry.returnSn });
    },
  },
  '/api/v2/returns/get_return_dispute_reason': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      shopReturn(call, context, requiredQuery(call.query, 'return_sn'));
      return envelopeResponse({
        dispute_reason_list: SHOPEE_SANDBOX_DISPUTE_REASONS.map((reason) => ({
          dispute_reason: reason.id,
          dispute_requirement: reason.requirement,
          sample_evidence: [],
          evidence_module_list: reason.imagesRequired
            ? [{ module_index: 1, requirement: reason.requirement, is_required: true }]
            : [],
        })),
      });
    },
  },
  '/api/v2/returns/dispute': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(disputeBody, call.body);
      if (body.email.trim() === '')
        throw new ShopeeApiError('dispute.request.param.error', 'Email is empty.');
      const entry = shopReturn(call, context, body.return_sn);
      sellerDispute(context, entry, {
        reasonId: body.dispute_reason_id,
        textReason: body.dispute_text_reason ?? '',
        modules: (body.image_list ?? []).map((module) => ({
          moduleIndex: module.module_index,
          imageUrls: module.image_url,
        })),
      });
      return envelopeResponse({ return_sn: entry.returnSn, msg: '' });
    },
  },
  '/api/v2/returns/cancel_dispute': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(cancelDisputeBody, call.body);
      const entry = shopReturn(call, context, body.return_sn);
      // Only compensation disputes can be withdrawn; the sandbox raises none.
      if (entry.status !== 'ACCEPTED' || entry.sellerCompensationStatus !== 'COMPENSATION_REQUESTED')
        throw new ShopeeApiError('dispute.cancel.ineligible', 'This dispute cannot be cancelled.');
      return envelopeResponse({ return_sn: entry.returnSn, message: 'SUCCESS' });
    },
  },
  '/api/v2/returns/convert_image': {
    method: 'POST',
    kind: 'shop',
    body: 'multipart',
    async handle(call, context) {
      const form = await readForm(
        call,
        'The body should be multipart/form-data with return_sn and upload_image.',
      );
      const returnSn = form.get('return_sn');
      const file = form.get('upload_image');
      if (typeof returnSn !== 'string' || returnSn === '') throw paramError('return_sn is required.');
      if (!(file instanceof Blob)) throw paramError('upload_image is required.');
      shopReturn(call, context, returnSn);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
      const png = bytes[0] === 0x89 && bytes[1] === 0x50;
      if (!jpeg && !png)
        throw new ShopeeApiError('format.unsupport', 'Only jpg, jpeg and png are supported.');
      if (bytes.byteLength > SHOPEE_RETURN_LIMITS.imageBytes)
        throw new ShopeeApiError('image.upload.fail', 'The image is larger than 10 MB.');
      const id = `${returnSn}-${nowSeconds(context)}-${bytes.byteLength}`;
      return envelopeResponse({
        url: `https://cf.shopee.sg/file/returns/${id}`,
        thumbnail: `https://cf.shopee.sg/file/returns/${id}_tn`,
      });
    },
  },
  '/api/v2/returns/upload_proof': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(proofBody, call.body);
      const entry = shopReturn(call, context, body.return_sn);
      sellerUploadProof(
        context,
        entry,
        (body.photo ?? []).map((photo) => ({ url: photo.url, thumbnail: photo.thumbnail ?? photo.url })),
        body.description ?? '',
      );
      return envelopeResponse({});
    },
  },
  '/api/v2/returns/query_proof': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const entry = shopReturn(call, context, requiredQuery(call.query, 'return_sn'));
      return envelopeResponse({
        image: entry.sellerProof.photos.map((photo) => ({ url: photo.url, thumbnail: photo.thumbnail })),
        video: [],
        description: entry.sellerProof.description,
      });
    },
  },
};
