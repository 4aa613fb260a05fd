import { currencyScale, money, multiplyMoney, toMinorUnits } from '@mlh/core';
import { intParam, isRecord, json, randomHex, readJson } from '../shared/index';
import type { MeliContext, OrderRecord } from './context';
import { meliError } from './errors';
import { MeliSandboxError } from './orders';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';

/*
 * Claims (reclamos), mediations and returns under `/post-purchase`, as the reference describes
 * them: a claim moves over the sandbox clock (the buyer ships the return, it arrives, the review
 * window lapses, an unanswered claim times out), every seller write is gated by the actions the
 * seller's player lists, and the search refuses what the API refuses.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How long each step of a claim takes on the sandbox clock. */
export interface MeliClaimTimings {
  /** The seller's mandatory first answer is due this long after the claim opens; then the claim closes for the buyer. */
  sellerResponseMs: number;
  /** After the seller allows a return, the buyer ships it this much later. */
  buyerShipsAfterMs: number;
  /** A shipped return arrives at the seller this much later. */
  returnTransitMs: number;
  /** The seller may review a received return this long; then the buyer is refunded anyway. */
  reviewWindowMs: number;
}

/** The default timings (3 days to answer, buyer ships after 1 day, 3 days in transit, 3 days to review). */
export const MELI_DEFAULT_CLAIM_TIMINGS: Readonly<MeliClaimTimings> = Object.freeze({
  sellerResponseMs: 3 * DAY_MS,
  buyerShipsAfterMs: DAY_MS,
  returnTransitMs: 3 * DAY_MS,
  reviewWindowMs: 3 * DAY_MS,
});

/** Partial-refund percentages the sandbox offers (100 % is a full refund, its own resolution). */
const PARTIAL_REFUND_PERCENTAGES = [25, 50, 75] as const;
/** Reasons of a failed return review (`flow=seller_return_failed`), the only flow there is. */
const REVIEW_FAIL_REASONS = [
  { id: 'SRF2', name: 'Damaged product' },
  { id: 'SRF3', name: 'Incomplete product' },
  { id: 'SRF4', name: 'Different product' },
  { id: 'SRF5', name: 'Product not in the package' },
  { id: 'SRF6', name: 'Other failure' },
  { id: 'SRF7', name: 'Not arrived yet' },
] as const;
const REVIEW_REASONS_NEEDING_ATTACHMENTS = new Set(['SRF2', 'SRF4']);
const ATTACHMENT_TYPES = new Set(['image/jpeg', 'image/png', 'application/pdf']);
const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
const SEARCH_MAX_LIMIT = 100;
const SEARCH_MAX_OFFSET = 9999;

/** An action a player may take now. */
export interface MeliClaimAction {
  action: string;
  mandatory: boolean;
  due_date: string | null;
}

/** A party of a claim. */
export interface MeliClaimPlayer {
  role: 'complainant' | 'respondent' | 'mediator';
  type: 'buyer' | 'seller' | 'internal';
  user_id: number | null;
  available_actions: MeliClaimAction[];
}

/** A claim as `GET /post-purchase/v1/claims/{id}` returns it. */
export interface MeliClaim {
  id: number;
  resource: 'order';
  resource_id: number;
  status: 'opened' | 'closed';
  type: string;
  stage: 'claim' | 'dispute';
  reason_id: string;
  fulfilled: boolean;
  quantity_type: 'total' | 'partial';
  claimed_quantity: number;
  claim_version: number;
  parent_id: number | null;
  players: MeliClaimPlayer[];
  resolution: {
    reason: string;
    date_created: string;
    benefited: string[];
    closed_by: string;
    applied_coverage: boolean;
  } | null;
  site_id: string;
  date_created: string;
  last_updated: string;
  related_entities: string[];
}

/** The return of a claim as `GET /post-purchase/v2/claims/{id}/returns` returns it. */
export interface MeliClaimReturn {
  id: number;
  claim_id: number;
  resource_type: 'order';
  resource_id: number;
  type: 'claim';
  subtype: 'return_total' | 'return_partial';
  status: string;
  status_money: 'retained' | 'refunded' | 'available';
  refund_at: 'delivered';
  intermediate_check: boolean;
  related_entities: string[];
  shipments: Array<{
    shipment_id: number;
    status: string;
    tracking_number: string | null;
    type: 'return';
    destination: { name: 'seller_address'; shipping_address: Record<string, unknown> };
  }>;
  orders: Array<{
    order_id: number;
    item_id: string;
    variation_id: number | null;
    context_type: 'total' | 'partial';
    total_quantity: string;
    return_quantity: string;
  }>;
  date_created: string;
  date_closed: string | null;
  last_updated: string;
}

/** An expected resolution of one side (`GET …/expected-resolutions`). */
export interface MeliExpectedResolution {
  player_role: 'complainant' | 'respondent';
  user_id: number;
  expected_resolution: string;
  details: Array<{ key: string; value: string }>;
  date_created: string;
  last_updated: string;
  status: 'pending' | 'accepted' | 'rejected';
}

/** A claim message the sandbox keeps. */
export interface MeliClaimMessage {
  sender_role: string;
  receiver_role: string;
  message: string;
  attachments: string[];
  stage: string;
  date_created: string;
  hash: string;
}

/** Input of the `openClaim` driver: the buyer complains about an order. */
export interface MeliOpenClaimInput {
  orderId: number;
  /**
   * `PDD…` (different or defective product: the buyer expects to return it) or `PNR…` (not
   * received: the buyer expects a refund). Default `PDD9549`.
   */
  reasonId?: string;
  /** Units claimed; default the order line's quantity. */
  quantity?: number;
}

interface ClaimRecord {
  claim: MeliClaim;
  sellerId: number;
  buyerId: number;
  order: OrderRecord;
  ret: MeliClaimReturn | undefined;
  expected: MeliExpectedResolution[];
  messages: MeliClaimMessage[];
  /** File names uploaded to this claim. */
  files: Set<string>;
  /** Epoch ms of the next timed step, per step. */
  due: {
    sellerAnswer?: number | undefined;
    buyerShips?: number | undefined;
    arrives?: number | undefined;
    review?: number | undefined;
  };
}

/** The claim desk of a sandbox: its routes and the drivers the sandbox exposes. */
export interface MeliClaimDesk {
  routes(router: MeliRouter): MeliRoute[];
  open(input: MeliOpenClaimInput): MeliClaim;
  respondToPartialRefund(claimId: number, accept: boolean): void;
  decideDispute(claimId: number, favour: 'buyer' | 'seller'): void;
  /** Applies every timed step whose time has come (done before each API call). */
  settle(): void;
  get(claimId: number): MeliClaim | undefined;
  getReturn(claimId: number): MeliClaimReturn | undefined;
  messages(claimId: number): MeliClaimMessage[];
  list(): MeliClaim[];
  clear(): void;
}

const FIRST_CLAIM_ID = 5_256_749_420;
const FIRST_RETURN_ID = 57_341_011;

function quantityText(quantity: number): string {
  return `${quantity}.0`;
}

function actionNotAvailable(action: string): Response {
  return meliError(400, 'bad_request', `Action ${action} not available for player`);
}

/** Parses `last_updated:after:<date>,before:<date>` (dates with `-0300` or `-03:00`). */
function parseRange(range: string): { field: string; after?: number; before?: number } | undefined {
  const match = /^(last_updated|date_created):(.+)$/.exec(range);
  if (!match) return undefined;
  const result: { field: string; after?: number; before?: number } = { field: match[1] ?? '' };
  for (const part of (match[2] ?? '').split(',')) {
    const bound = /^(after|before):(.+)$/.exec(part.trim());
    if (!bound) return undefined;
    const time = Date.parse((bound[2] ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(time)) return undefined;
    result[bound[1] as 'after' | 'before'] = time;
  }
  return result;
}

/**
 * Claims and their returns: search, read, the seller's resolutions (refund, allow a return, a
 * partial refund from the offered percentages), disputes, messages, attachments and the review
 * of a received return. Each change notifies the seller on `post_purchase` (actions `claims`).
 */
export function createClaimDesk(context: MeliContext, timings: MeliClaimTimings): MeliClaimDesk {
  const claims = new Map<number, ClaimRecord>();
  let nextClaimId = FIRST_CLAIM_ID;
  let nextReturnId = FIRST_RETURN_ID;

  const now = (): number => context.clock.now();
  const date = (epochMs = now()): string => context.date(epochMs);

  function touch(record: ClaimRecord, at = now()): void {
    record.claim.last_updated = date(at);
    if (record.ret) record.ret.last_updated = date(at);
    context.notify('post_purchase', `/post-purchase/v1/claims/${record.claim.id}`, record.sellerId, [
      'claims',
    ]);
  }

  function seller(record: ClaimRecord): MeliClaimPlayer {
    const player = record.claim.players.find((candidate) => candidate.role === 'respondent');
    if (!player) throw new MeliSandboxError(`Claim ${record.claim.id} has no respondent`);
    return player;
  }

  function setSellerActions(record: ClaimRecord, actions: MeliClaimAction[]): void {
    seller(record).available_actions = actions;
  }

  const action = (name: string, dueAt?: number): MeliClaimAction => ({
    action: name,
    mandatory: dueAt !== undefined,
    due_date: dueAt === undefined ? null : date(dueAt),
  });

  function close(
    record: ClaimRecord,
    reason: string,
    benefited: string[],
    closedBy: string,
    at = now(),
  ): void {
    record.claim.status = 'closed';
    record.claim.resolution = {
      reason,
      date_created: date(at),
      benefited,
      closed_by: closedBy,
      applied_coverage: false,
    };
    for (const player of record.claim.players) player.available_actions = [];
    record.due = {};
    if (record.ret && benefited.includes('complainant')) {
      record.ret.status_money = 'refunded';
      record.ret.date_closed = date(at);
    }
    touch(record, at);
  }

  function orderLine(record: OrderRecord): { unitPrice: number; quantity: number; currency: string } {
    const line = record.order.order_items[0];
    if (!line) throw new MeliSandboxError(`Order ${record.order.id} has no line`);
    return { unitPrice: line.unit_price, quantity: line.quantity, currency: record.order.currency_id };
  }

  function startDispute(record: ClaimRecord): void {
    record.claim.stage = 'dispute';
    if (!record.claim.players.some((player) => player.role === 'mediator')) {
      record.claim.players.push({ role: 'mediator', type: 'internal', user_id: null, available_actions: [] });
    }
    setSellerActions(record, [action('send_message_to_mediator'), action('send_attachments')]);
    record.due = {};
    touch(record);
  }

  // One timed step of one claim, or false when none is due.
  function step(record: ClaimRecord, at: number): boolean {
    const { due, ret } = record;
    if (record.claim.status === 'closed') return false;
    if (due.sellerAnswer !== undefined && due.sellerAnswer <= at) {
      close(record, 'respondent_timeout', ['complainant'], 'mediator', due.sellerAnswer);
      return true;
    }
    if (ret && due.buyerShips !== undefined && due.buyerShips <= at) {
      const shippedAt = due.buyerShips;
      due.buyerShips = undefined;
      ret.status = 'shipped';
      for (const shipment of ret.shipments) {
        shipment.status = 'shipped';
        shipment.tracking_number = `RT${shipment.shipment_id}BR`;
      }
      due.arrives = shippedAt + timings.returnTransitMs;
      touch(record, shippedAt);
      return true;
    }
    if (ret && due.arrives !== undefined && due.arrives <= at) {
      const arrivedAt = due.arrives;
      due.arrives = undefined;
      ret.status = 'delivered';
      for (const shipment of ret.shipments) shipment.status = 'delivered';
      due.review = arrivedAt + timings.reviewWindowMs;
      setSellerActions(record, [
        action('return_review_ok', due.review),
        action('return_review_fail', due.review),
        action('send_message_to_complainant'),
      ]);
      touch(record, arrivedAt);
      return true;
    }
    if (ret && due.review !== undefined && due.review <= at) {
      close(record, 'item_returned', ['complainant'], 'mediator', due.review);
      return true;
    }
    return false;
  }

  function settle(): void {
    const at = now();
    for (const record of claims.values()) {
      while (step(record, at)) {
        // each step schedules the next; apply them in order up to now
      }
    }
  }

  function owned(input: AuthedInput, claimId = input.params.id ?? ''): ClaimRecord | Response {
    const record = /^\d+$/.test(claimId) ? claims.get(Number(claimId)) : undefined;
    if (record === undefined) return meliError(404, 'business_logic_error', 'Resource not found');
    const userId = input.token.userId;
    if (record.sellerId !== userId && record.buyerId !== userId) {
      return meliError(403, 'forbidden_error', 'the caller is not a player of this claim');
    }
    return record;
  }

  /** The seller's record when the caller is the seller and lists `names` (any of them), else the refusal. */
  function sellerMay(input: AuthedInput, names: readonly string[]): ClaimRecord | Response {
    const record = owned(input);
    if (record instanceof Response) return record;
    if (record.sellerId !== input.token.userId) return actionNotAvailable(names[0] ?? '');
    const listed = seller(record).available_actions.map((entry) => entry.action);
    const found = names.find((name) => listed.includes(name));
    return found === undefined ? actionNotAvailable(names[0] ?? '') : record;
  }

  function search(input: AuthedInput): Response {
    const { query } = input;
    const paired = (a: string, b: string): boolean => (query.get(a) === null) === (query.get(b) === null);
    if (!paired('players.user_id', 'players.role') || !paired('resource', 'resource_id')) {
      return meliError(
        400,
        'invalid_params',
        'players.user_id and players.role (or resource and resource_id) go together',
      );
    }
    if (query.get('order_id') !== null && query.get('pack_id') !== null) {
      return meliError(400, 'invalid_params', 'order_id and pack_id are mutually exclusive');
    }
    const filters = [...query.keys()].filter((key) => !['offset', 'limit', 'sort'].includes(key));
    if (filters.length === 0) return meliError(400, 'invalid_query', 'at least one filter is required');
    const offset = intParam(query, 'offset') ?? 0;
    if (!(offset >= 0 && offset <= SEARCH_MAX_OFFSET)) {
      return meliError(400, 'invalid_query', `offset must be between 0 and ${SEARCH_MAX_OFFSET}`);
    }
    const limit = Math.min(Math.max(intParam(query, 'limit') ?? 30, 1), SEARCH_MAX_LIMIT);
    const rangeText = query.get('range');
    const range = rangeText === null ? undefined : parseRange(rangeText);
    if (rangeText !== null && range === undefined)
      return meliError(400, 'invalid_query', `invalid range ${rangeText}`);
    const role = query.get('players.role');
    const userId = query.get('players.user_id');
    const orderId =
      query.get('order_id') ?? (query.get('resource') === 'order' ? query.get('resource_id') : null);
    const plain = ['id', 'type', 'stage', 'status', 'reason_id', 'site_id'] as const;
    const matches = [...claims.values()]
      .filter((record) => record.sellerId === input.token.userId || record.buyerId === input.token.userId)
      .map((record) => record.claim)
      .filter(
        (claim) =>
          userId === null ||
          claim.players.some((player) => String(player.user_id) === userId && player.role === role),
      )
      .filter((claim) => orderId === null || String(claim.resource_id) === orderId)
      .filter((claim) =>
        plain.every((key) => query.get(key) === null || String(claim[key]) === query.get(key)),
      )
      .filter((claim) => {
        if (!range) return true;
        const time = Date.parse(range.field === 'date_created' ? claim.date_created : claim.last_updated);
        return (
          (range.after === undefined || time >= range.after) &&
          (range.before === undefined || time <= range.before)
        );
      });
    const [sortField, sortOrder] = (query.get('sort') ?? 'id:asc').split(':');
    const keyOf = (claim: MeliClaim): number =>
      sortField === 'last_updated' || sortField === 'date_created' ? Date.parse(claim[sortField]) : claim.id;
    matches.sort((a, b) =>
      sortOrder === 'desc' ? keyOf(b) - keyOf(a) || b.id - a.id : keyOf(a) - keyOf(b) || a.id - b.id,
    );
    return json({
      paging: { total: matches.length, offset, limit },
      data: matches.slice(offset, offset + limit).map((claim) => structuredClone(claim)),
    });
  }

  function partialOffers(record: ClaimRecord): Array<{ percentage: number; amount: number }> {
    const { unitPrice, quantity, currency } = orderLine(record.order);
    const claimed = Math.min(quantity, record.claim.claimed_quantity);
    const scale = currencyScale(currency);
    const total = toMinorUnits(multiplyMoney(money(String(unitPrice), currency), claimed), scale);
    return PARTIAL_REFUND_PERCENTAGES.map((percentage) => {
      // Exact: minor units × percentage / 100, rounded half up, then written in the currency's scale.
      const minor = (total * BigInt(percentage) + 50n) / 100n;
      const digits = minor.toString().padStart(scale + 1, '0');
      const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return { percentage, amount: Number(text) };
    });
  }

  async function upload(input: AuthedInput, shape: 'filename' | 'file_name'): Promise<Response> {
    const record = owned(input);
    if (record instanceof Response) return record;
    let form: FormData;
    try {
      form = await input.request.formData();
    } catch {
      return meliError(400, 'bad_request', 'multipart/form-data with a file is required');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) return meliError(400, 'bad_request', 'the multipart field file is required');
    const name = file instanceof File ? file.name : 'file';
    if (!ATTACHMENT_TYPES.has(file.type))
      return meliError(400, 'bad_request', `invalid file type ${file.type}: JPG, PNG or PDF`);
    if (file.size === 0 || file.size > ATTACHMENT_MAX_BYTES)
      return meliError(400, 'bad_request', 'the file must be at most 5 MB');
    if (!/^[a-zA-Z0-9._-]{1,125}$/.test(name))
      return meliError(400, 'bad_request', `invalid file name ${name}`);
    const extension = /\.([a-zA-Z0-9]+)$/.exec(name)?.[1] ?? 'bin';
    const stored = `${input.token.userId}_${randomHex(8)}-${randomHex(4)}.${extension.toLowerCase()}`;
    record.files.add(stored);
    return json({ user_id: input.token.userId, [shape]: stored }, { status: 201 });
  }

  async function sendMessage(input: AuthedInput): Promise<Response> {
    const record = owned(input);
    if (record instanceof Response) return record;
    const read = await readJson(input.request);
    if (!read.ok || !isRecord(read.value))
      return meliError(400, 'bad_request', 'The body is not a valid JSON object');
    const body = read.value;
    const receiver = body.receiver_role;
    const dispute = record.claim.stage === 'dispute';
    const wanted = dispute ? 'mediator' : 'complainant';
    if (receiver !== wanted) {
      return meliError(400, 'bad_request', `receiver_role must be ${wanted} in stage ${record.claim.stage}`);
    }
    const gate = sellerMay(input, [dispute ? 'send_message_to_mediator' : 'send_message_to_complainant']);
    if (gate instanceof Response) return gate;
    if (typeof body.message !== 'string' || body.message.trim() === '') {
      return meliError(400, 'bad_request', 'message is required');
    }
    const attachments = Array.isArray(body.attachments) ? body.attachments : [];
    const unknown = attachments.filter((name) => typeof name !== 'string' || !record.files.has(name));
    if (unknown.length > 0)
      return meliError(400, 'bad_request', `unknown attachments: ${unknown.join(', ')}`);
    record.messages.push({
      sender_role: 'respondent',
      receiver_role: wanted,
      message: body.message,
      attachments: attachments as string[],
      stage: record.claim.stage,
      date_created: date(),
      hash: randomHex(16),
    });
    // The mandatory first answer is given: the claim no longer times out against the seller.
    if (record.due.sellerAnswer !== undefined) {
      record.due.sellerAnswer = undefined;
      for (const entry of seller(record).available_actions) {
        entry.mandatory = false;
        entry.due_date = null;
      }
    }
    touch(record);
    return json({}, { status: 201 });
  }

  async function review(input: AuthedInput): Promise<Response> {
    const returnId = Number(input.params.id ?? '');
    const record = [...claims.values()].find((candidate) => candidate.ret?.id === returnId);
    if (!record?.ret) return meliError(404, 'not_found_error', `return ${input.params.id} not found`);
    const read = await readJson(input.request);
    if (!read.ok) return meliError(400, 'bad_request_error', 'The body is not valid JSON');
    const failed = Array.isArray(read.value);
    if (!failed && !isRecord(read.value))
      return meliError(400, 'bad_request_error', 'The body must be {} or an array');
    const gate = sellerMay({ ...input, params: { id: String(record.claim.id) } }, [
      failed ? 'return_review_fail' : 'return_review_ok',
    ]);
    if (gate instanceof Response) return gate;
    if (!failed) {
      close(record, 'item_returned', ['complainant'], 'respondent');
      return json({}, { status: 200 });
    }
    const entries = read.value as unknown[];
    if (entries.length === 0)
      return meliError(400, 'bad_request_error', 'a failed review names at least one reason');
    for (const entry of entries) {
      if (!isRecord(entry) || !REVIEW_FAIL_REASONS.some((reason) => reason.id === entry.reason)) {
        return meliError(
          400,
          'bad_request_error',
          `invalid reason ${isRecord(entry) ? String(entry.reason) : ''}`,
        );
      }
      const attachments = Array.isArray(entry.attachments) ? entry.attachments : [];
      if (REVIEW_REASONS_NEEDING_ATTACHMENTS.has(String(entry.reason)) && attachments.length === 0) {
        return meliError(
          400,
          'bad_request_error',
          `attachments are required for reason ${String(entry.reason)}`,
        );
      }
      if (attachments.some((name) => typeof name !== 'string' || !record.files.has(name))) {
        return meliError(400, 'bad_request_error', 'unknown attachments');
      }
    }
    startDispute(record);
    return json({}, { status: 200 });
  }

  const expectedOf = (record: ClaimRecord, role: 'complainant' | 'respondent') =>
    record.expected.find((entry) => entry.player_role === role);

  function expect(
    record: ClaimRecord,
    role: 'complainant' | 'respondent',
    resolution: string,
    status: MeliExpectedResolution['status'],
    details: MeliExpectedResolution['details'] = [],
  ): void {
    const at = date();
    const existing = expectedOf(record, role);
    const entry: MeliExpectedResolution = {
      player_role: role,
      user_id: role === 'respondent' ? record.sellerId : record.buyerId,
      expected_resolution: resolution,
      details,
      date_created: existing?.date_created ?? at,
      last_updated: at,
      status,
    };
    record.expected = [...record.expected.filter((candidate) => candidate.player_role !== role), entry];
  }

  function withSeller(
    input: AuthedInput,
    names: readonly string[],
    apply: (record: ClaimRecord) => Response,
  ): Response {
    const record = sellerMay(input, names);
    return record instanceof Response ? record : apply(record);
  }

  const base = '/post-purchase/v1/claims/:id';
  return {
    routes: (router) => [
      router.api('get', '/post-purchase/v1/claims/search', search),
      router.api('get', base, (input) => {
        const record = owned(input);
        return record instanceof Response ? record : json(structuredClone(record.claim));
      }),
      router.api('get', '/post-purchase/v2/claims/:id/returns', (input) => {
        const record = owned(input);
        if (record instanceof Response) return record;
        return record.ret
          ? json(structuredClone(record.ret))
          : meliError(404, 'not_found_error', `claim ${record.claim.id} has no return`);
      }),
      router.api('get', `${base}/expected-resolutions`, (input) => {
        const record = owned(input);
        return record instanceof Response ? record : json(structuredClone(record.expected));
      }),
      router.api('get', `${base}/messages`, (input) => {
        const record = owned(input);
        return record instanceof Response ? record : json(structuredClone(record.messages));
      }),
      router.api('post', `${base}/expected-resolutions/refund`, (input) =>
        withSeller(input, ['refund'], (record) => {
          expect(record, 'respondent', 'refund', 'accepted');
          close(record, 'payment_refunded', ['complainant'], 'respondent');
          return json({}, { status: 200 });
        }),
      ),
      router.api('post', `${base}/expected-resolutions/allow-return`, (input) =>
        withSeller(input, ['allow_return'], (record) => {
          const line = record.order.order.order_items[0];
          if (!line) return meliError(422, 'unprocessable_entity', 'the order has no line');
          const at = now();
          const shipmentId = context.ids.shipment.next();
          const partial = record.claim.claimed_quantity < line.quantity;
          record.ret = {
            id: nextReturnId++,
            claim_id: record.claim.id,
            resource_type: 'order',
            resource_id: record.order.order.id,
            type: 'claim',
            subtype: partial ? 'return_partial' : 'return_total',
            status: 'label_generated',
            status_money: 'retained',
            refund_at: 'delivered',
            intermediate_check: false,
            related_entities: [],
            shipments: [
              {
                shipment_id: shipmentId,
                status: 'ready_to_ship',
                tracking_number: null,
                type: 'return',
                destination: { name: 'seller_address', shipping_address: {} },
              },
            ],
            orders: [
              {
                order_id: record.order.order.id,
                item_id: line.item.id,
                variation_id: line.item.variation_id,
                context_type: partial ? 'partial' : 'total',
                total_quantity: quantityText(line.quantity),
                return_quantity: quantityText(record.claim.claimed_quantity),
              },
            ],
            date_created: date(at),
            date_closed: null,
            last_updated: date(at),
          };
          record.claim.related_entities = [...new Set([...record.claim.related_entities, 'return'])];
          record.claim.type = 'return';
          expect(record, 'respondent', 'return_product', 'accepted');
          expect(record, 'complainant', 'return_product', 'accepted');
          setSellerActions(record, [action('send_message_to_complainant')]);
          record.due = { buyerShips: at + timings.buyerShipsAfterMs };
          touch(record, at);
          return json({}, { status: 200 });
        }),
      ),
      router.api('get', `${base}/partial-refund/available-offers`, (input) =>
        withSeller(input, ['allow_partial_refund'], (record) =>
          json({
            currency_id: record.order.order.currency_id,
            available_offers: partialOffers(record),
            recommendations: [],
            restrictions: [],
          }),
        ),
      ),
      router.api('post', `${base}/expected-resolutions/partial-refund`, async (input) => {
        const record = sellerMay(input, ['allow_partial_refund']);
        if (record instanceof Response) return record;
        const read = await readJson(input.request);
        const percentage = read.ok && isRecord(read.value) ? read.value.percentage : undefined;
        const offer = partialOffers(record).find((candidate) => candidate.percentage === percentage);
        if (typeof percentage !== 'number' || offer === undefined) {
          return meliError(400, 'bad_request', `Percentage not found ${Number(percentage).toFixed(1)}`);
        }
        expect(record, 'respondent', 'partial_refund', 'pending', [
          { key: 'percentage', value: String(offer.percentage) },
          { key: 'amount', value: String(offer.amount) },
        ]);
        setSellerActions(
          record,
          seller(record).available_actions.filter(
            (entry) => !['allow_partial_refund', 'refund'].includes(entry.action),
          ),
        );
        touch(record);
        return json({}, { status: 200 });
      }),
      router.api('post', `${base}/actions/open-dispute`, (input) =>
        withSeller(input, ['open_dispute'], (record) => {
          startDispute(record);
          return json({}, { status: 200 });
        }),
      ),
      router.api('post', `${base}/actions/send-message`, sendMessage),
      router.api('post', `${base}/attachments`, (input) => upload(input, 'filename')),
      router.api('post', `${base}/attachments-evidences`, (input) => upload(input, 'file_name')),
      router.api('post', `${base}/returns/attachments`, (input) => upload(input, 'file_name')),
      router.api('get', '/post-purchase/v1/returns/reasons', (input) => {
        if (input.query.get('flow') !== 'seller_return_failed') {
          return meliError(400, 'bad_request_error', 'flow must be seller_return_failed');
        }
        const record = owned(input, input.query.get('claim_id') ?? '');
        if (record instanceof Response) return record;
        return json(REVIEW_FAIL_REASONS.map((reason) => ({ ...reason, apply: ['order', 'package'] })));
      }),
      router.api('post', '/post-purchase/v1/returns/:id/return-review', review),
    ],

    open(input) {
      const order = context.state.orders.get(input.orderId);
      if (order === undefined) throw new MeliSandboxError(`No order ${input.orderId}`);
      if (order.order.status !== 'paid') {
        throw new MeliSandboxError(
          `Order ${input.orderId} is ${order.order.status}: only a paid order can be claimed`,
        );
      }
      const line = order.order.order_items[0];
      if (!line) throw new MeliSandboxError(`Order ${input.orderId} has no line`);
      const quantity = input.quantity ?? line.quantity;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > line.quantity) {
        throw new MeliSandboxError(`quantity must be a whole number from 1 to ${line.quantity}`);
      }
      const reasonId = input.reasonId ?? 'PDD9549';
      const shipmentId = order.order.shipping.id;
      const shipment = shipmentId === null ? undefined : context.state.shipments.get(shipmentId);
      const delivered = shipment === undefined || shipment.shipment.status === 'delivered';
      const defective = reasonId.startsWith('PDD');
      if (defective && !delivered) {
        throw new MeliSandboxError(
          `A ${reasonId} claim needs a delivered order; order ${input.orderId} is not delivered`,
        );
      }
      const at = now();
      const answerBy = at + timings.sellerResponseMs;
      const sellerId = order.order.seller.id;
      const buyerId = order.order.buyer.id;
      const claim: MeliClaim = {
        id: nextClaimId++,
        resource: 'order',
        resource_id: order.order.id,
        status: 'opened',
        type: 'mediations',
        stage: 'claim',
        reason_id: reasonId,
        fulfilled: delivered,
        quantity_type: quantity < line.quantity ? 'partial' : 'total',
        claimed_quantity: quantity,
        claim_version: 2.0,
        parent_id: null,
        players: [
          { role: 'complainant', type: 'buyer', user_id: buyerId, available_actions: [] },
          {
            role: 'respondent',
            type: 'seller',
            user_id: sellerId,
            available_actions: [
              action('send_message_to_complainant', answerBy),
              action('refund'),
              ...(defective ? [action('allow_return'), action('allow_partial_refund')] : []),
              action('open_dispute'),
            ],
          },
        ],
        resolution: null,
        site_id: order.order.context.site,
        date_created: date(at),
        last_updated: date(at),
        related_entities: [],
      };
      const record: ClaimRecord = {
        claim,
        sellerId,
        buyerId,
        order,
        ret: undefined,
        expected: [],
        messages: [],
        files: new Set(),
        due: { sellerAnswer: answerBy },
      };
      expect(record, 'complainant', defective ? 'return_product' : 'refund', 'pending');
      claims.set(claim.id, record);
      order.order.mediations = [...order.order.mediations, { id: claim.id }];
      touch(record, at);
      return structuredClone(claim);
    },

    respondToPartialRefund(claimId, accept) {
      settle();
      const record = claims.get(claimId);
      if (record === undefined) throw new MeliSandboxError(`No claim ${claimId}`);
      const offer = expectedOf(record, 'respondent');
      if (
        record.claim.status !== 'opened' ||
        offer?.expected_resolution !== 'partial_refund' ||
        offer.status !== 'pending'
      ) {
        throw new MeliSandboxError(`Claim ${claimId} has no pending partial refund`);
      }
      expect(record, 'respondent', 'partial_refund', accept ? 'accepted' : 'rejected', offer.details);
      if (accept) close(record, 'partial_refunded', ['complainant'], 'complainant');
      else touch(record);
    },

    decideDispute(claimId, favour) {
      settle();
      const record = claims.get(claimId);
      if (record === undefined) throw new MeliSandboxError(`No claim ${claimId}`);
      if (record.claim.status !== 'opened' || record.claim.stage !== 'dispute') {
        throw new MeliSandboxError(`Claim ${claimId} is not in dispute`);
      }
      if (favour === 'buyer') close(record, 'coverage_decision', ['complainant'], 'mediator');
      else close(record, 'rep_resolution', ['respondent'], 'mediator');
    },

    settle,
    get: (claimId) => {
      settle();
      const record = claims.get(claimId);
      return record && structuredClone(record.claim);
    },
    getReturn: (claimId) => {
      settle();
      const ret = claims.get(claimId)?.ret;
      return ret && structuredClone(ret);
    },
    messages: (claimId) => structuredClone(claims.get(claimId)?.messages ?? []),
    list: () => {
      settle();
      return [...claims.values()].map((record) => structuredClone(record.claim));
    },
    clear() {
      claims.clear();
      nextClaimId = FIRST_CLAIM_ID;
      nextReturnId = FIRST_RETURN_ID;
    },
  };
}
