import { ValidationError } from '@mlh/core';
import type { RequestHandler } from 'msw';
import {
  createCallCounter,
  createFaultInjector,
  createRateLimitGate,
  createSandboxClock,
  createWebhookDelivery,
  type FaultInjector,
  type RateLimitConfig,
  type SandboxClock,
  type WebhookDelivery,
} from '../shared/index';
import {
  authHandlers,
  authorize,
  createApp,
  issueTokens,
  type MeliAuthorization,
  type MeliAuthorizeInput,
  revokeGrant,
  revokeTokens,
} from './auth';
import { categoryAttributeHandlers, categoryHandlers } from './categories';
import {
  createClaimDesk,
  MELI_DEFAULT_CLAIM_TIMINGS,
  type MeliClaim,
  type MeliClaimMessage,
  type MeliClaimReturn,
  type MeliOpenClaimInput,
} from './claims';
import { createContext, createIds, createState, type MeliContext } from './context';
import { errorNameFor, type MeliCause } from './errors';
import { invoiceHandlers } from './invoices';
import { createItem, type ItemRefusal, itemHandlers } from './items';
import { labelHandlers } from './labels';
import { createMessageDesk, type MeliSendMessageDriverInput } from './messages';
import { MELI_SANDBOX_APP_ID } from './notifications';
import {
  cancelOrder,
  deliverOrder,
  type MeliCancelOrderInput,
  type MeliOrderLineInput,
  type MeliPlacedOrder,
  type MeliPlaceOrderInput,
  orderHandlers,
  payOrder,
  placeOrder,
  shipOrder,
} from './orders';
import {
  createQuestionDesk,
  type MeliAskQuestionInput,
  type MeliQuestion,
  type MeliQuestionStatus,
} from './questions';
import { createRouter } from './router';
import { shipmentHandlers } from './shipments';
import { meliSite } from './sites';
import type {
  MeliApp,
  MeliCategory,
  MeliItem,
  MeliMessage,
  MeliNotification,
  MeliOrder,
  MeliPack,
  MeliSandboxBehaviour,
  MeliSandboxLimits,
  MeliSandboxOptions,
  MeliShipment,
  MeliShippingMode,
  MeliTokenResponse,
  MeliUser,
} from './types';
import { userHandlers } from './users';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The reference's lifetimes and limits. */
export const MELI_DEFAULT_LIMITS: Readonly<MeliSandboxLimits> = {
  accessTokenTtlMs: 6 * HOUR_MS,
  refreshTokenTtlMs: 180 * DAY_MS,
  authorizationCodeTtlMs: 10 * 60 * 1000,
  itemSearchMaxLimit: 100,
  itemSearchOffsetCap: 1000,
  scrollTtlMs: 5 * 60 * 1000,
  orderSearchMaxLimit: 50,
  orderRetentionMs: 365 * DAY_MS,
  multigetMaxIds: 20,
  notificationAttempts: 8,
  missedFeedsRetentionMs: 2 * DAY_MS,
  maxVariations: 100,
};

/** The default answers to what the reference leaves uncertain. */
export const MELI_DEFAULT_BEHAVIOUR: Readonly<MeliSandboxBehaviour> = {
  oauthErrorField: 'error_description',
  requireFormatNewHeader: true,
  requireNewDomainHeader: true,
  deleteOmittedVariations: true,
  stockOnlyPutKeepsOmittedVariations: false,
  orderSearchHidesCancelled: true,
  itemSearchAcceptsAnyStatus: false,
  retryAfterHeader: false,
  saleFeePercent: 12,
  sellerMaxMessageLength: 350,
};

/** Input of {@link MeliSandbox.addSeller} / `addBuyer`. */
export interface MeliUserInput {
  id?: number;
  nickname?: string;
  /** Default: `MLB`. */
  siteId?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  tags?: string[];
  /** Adds the `user_product_seller` tag: the seller lists in the User Products model. */
  userProducts?: boolean;
  /** Shipping mode of items created without one. Default: `me2`. */
  defaultShippingMode?: MeliShippingMode;
  /** Grant the default app (so its notifications flow). Default: true for sellers. */
  grantDefaultApp?: boolean;
  /**
   * Brazil (MLB): the seller is a contributing PJ issuing its own NF-e. Its drop-off and
   * cross-docking shipments wait in `ready_to_ship/invoice_pending` until the NF-e XML is imported
   * (`POST /shipments/{id}/invoice_data`), and their labels cannot be printed before. Default false.
   */
  issuesNfe?: boolean;
}

/** A `POST /items` body, with the types a test usually writes. Unknown fields pass through. */
export interface MeliItemBody {
  title?: string;
  family_name?: string;
  category_id?: string;
  price?: number;
  currency_id?: string;
  available_quantity?: number;
  buying_mode?: string;
  listing_type_id?: string;
  condition?: string;
  pictures?: Array<{ source?: string; id?: string }>;
  attributes?: Array<{ id: string; value_id?: string; value_name?: string }>;
  sale_terms?: Array<{ id: string; value_id?: string; value_name?: string }>;
  variations?: Array<{
    attribute_combinations: Array<{ id: string; value_id?: string; value_name?: string }>;
    price: number;
    available_quantity: number;
    picture_ids?: string[];
    attributes?: Array<{ id: string; value_id?: string; value_name?: string }>;
    seller_custom_field?: string;
  }>;
  shipping?: {
    mode?: MeliShippingMode;
    logistic_type?: string;
    free_shipping?: boolean;
    local_pick_up?: boolean;
  };
  seller_custom_field?: string;
  tags?: string[];
  channels?: string[];
  [field: string]: unknown;
}

/** Input of {@link MeliSandbox.addItem}: an item body with working defaults, for a seller. */
export interface MeliAddItemInput extends MeliItemBody {
  /** Default: the first seller added. */
  sellerId?: number;
}

/** A stateful Mercado Livre stand-in: msw handlers plus seed, inspection and buyer-side controls. */
export interface MeliSandbox {
  /** msw handlers on https://api.mercadolibre.com and the authorization pages. */
  handlers: RequestHandler[];
  clock: SandboxClock;
  faults: FaultInjector;
  /** Notification delivery: set `target` (URL or handler), then `flush()`. */
  webhooks: WebhookDelivery;
  /** The default app (`client_id`/`client_secret`/redirect URI). */
  readonly app: MeliApp;
  /** Sets (or with no argument removes) the per-seller rate limit; over it calls answer 429. */
  setRateLimit(config?: RateLimitConfig): void;

  /** Registers another app. */
  createApp(input?: Partial<MeliApp>): MeliApp;
  /** The user consents on the authorization page: returns the code and the callback URL. */
  authorize(input?: MeliAuthorizeInput): MeliAuthorization;
  /** Who the authorization page treats as logged in. Default: the first seller added. */
  setAuthorizingUser(userId: number): void;
  /** Mints tokens for a user directly (granting the app), skipping the browser. */
  issueTokens(userId: number, appId?: number): MeliTokenResponse;
  /** Removes the user's grant of an app: all its tokens stop working. */
  revokeGrant(userId: number, appId?: number): void;
  /** Invalidates every token of a user (as a password change does), keeping the grant. */
  revokeTokens(userId: number, appId?: number): void;

  addSeller(input?: MeliUserInput): MeliUser;
  addBuyer(input?: MeliUserInput): MeliUser;
  /** Adds a category; once a site has any, only registered categories of that site are valid. */
  addCategory(category: MeliCategory): void;
  /** Creates an item through the same validation as `POST /items`; throws a core `ValidationError` if refused. */
  addItem(input?: MeliAddItemInput): MeliItem;

  /**
   * Mercado Livre moves an item on its own: moderation (`under_review`, sub-status `forbidden`,
   * `held`...), an unpaid charge (`payment_required`), or any status the API may report.
   */
  setItemStatus(itemId: string, status: string, subStatus?: readonly string[]): void;
  /**
   * Queues a notification to the apps a seller granted, as Mercado Livre sends one: any topic and
   * `resource` (including one that does not fit the topic's usual path). Deliver with `webhooks.flush()`.
   */
  notify(input: { topic: string; resource: string; userId?: number; actions?: string[] }): void;

  getUser(id: number): MeliUser | undefined;
  getItem(id: string): MeliItem | undefined;
  listItems(filter?: { sellerId?: number; status?: string }): MeliItem[];
  getDescription(itemId: string): string | undefined;
  getOrder(id: number): MeliOrder | undefined;
  listOrders(filter?: { sellerId?: number; status?: string }): MeliOrder[];
  getPack(id: number): MeliPack | undefined;
  getShipment(id: number): MeliShipment | undefined;
  listMessages(): MeliMessage[];
  /** Notifications that exhausted their delivery attempts (served by `/missed_feeds` for 2 days). */
  missedFeeds(): MeliNotification[];

  /** The buyer orders (reserving stock): one line, or a cart (`items`) that becomes a pack. */
  placeOrder(
    input: MeliPlaceOrderInput | (MeliOrderLineInput & Omit<MeliPlaceOrderInput, 'items'>),
  ): MeliPlacedOrder;
  payOrder(orderId: number): void;
  cancelOrder(orderId: number, input?: MeliCancelOrderInput): void;
  shipOrder(orderId: number, input?: { trackingNumber?: string }): void;
  deliverOrder(orderId: number): void;
  /**
   * Someone writes in the order's post-sale conversation: the buyer (default) or the seller,
   * notified on the `messages` topic. A buyer's `moderated` message is never shown to the seller.
   */
  sendMessage(input: MeliSendMessageDriverInput): MeliMessage;
  /**
   * Mercado Livre blocks the order's conversation for a reason it does not derive here
   * (`blocked_by_buyer`, `blocked_by_mediation`, `blocked_by_refund`, `blocked_by_fulfillment`, ...).
   * Cancelled orders, 30 quiet days and 18 months are derived from the state and the clock.
   */
  blockConversation(orderId: number, substatus?: string): void;
  /** Lifts a block set by {@link MeliSandbox.blockConversation}. */
  unblockConversation(orderId: number): void;

  /** A buyer asks about an active item (a new buyer unless given); notifies the `questions` topic. */
  askQuestion(input: MeliAskQuestionInput): MeliQuestion;
  /** Mercado Livre moves a question on its own: `CLOSED_UNANSWERED`, `UNDER_REVIEW`, `BANNED`, a hold. */
  setQuestion(questionId: number, change: { status?: MeliQuestionStatus; hold?: boolean }): void;
  getQuestion(id: number): MeliQuestion | undefined;
  listQuestions(): MeliQuestion[];

  /**
   * The buyer opens a claim on a paid order (`PDD…`, the default, needs it delivered; `PNR…` not
   * received). The seller must answer within `claims.sellerResponseMs` or the buyer is refunded.
   * Notifies `post_purchase` (actions `claims`), as every later change of the claim does.
   */
  openClaim(input: MeliOpenClaimInput): MeliClaim;
  /** The buyer accepts (claim closed, `partial_refunded`) or rejects the seller's partial-refund offer. */
  respondToPartialRefund(claimId: number, accept: boolean): void;
  /** Mercado Livre's mediator closes a claim in dispute for the buyer or the seller. */
  decideDispute(claimId: number, favour: 'buyer' | 'seller'): void;
  /**
   * Applies the claims' timed steps whose time has come (the buyer ships a return, it arrives,
   * a deadline lapses). Every API call does it first; call it after `clock.advance()` to get the
   * notifications without a call.
   */
  settleClaims(): void;
  getClaim(id: number): MeliClaim | undefined;
  /** The return of a claim, once the seller allowed it. */
  getClaimReturn(claimId: number): MeliClaimReturn | undefined;
  listClaims(): MeliClaim[];
  /** The messages the seller sent in a claim. */
  listClaimMessages(claimId: number): MeliClaimMessage[];

  /** Forgets all state (apps, users, items, orders...), faults, queued webhooks and stats; keeps the clock. */
  reset(): void;
  /** API calls answered so far, in total and by `METHOD /route`. */
  stats(): { requests: number; byPath: Record<string, number> };
}

/**
 * Creates a Mercado Livre sandbox. Use its `handlers` with msw's `setupServer` (or
 * `startSandboxServer` from `@mlh/testing/server`) and point the client at the real API URL.
 *
 * @example
 * const meli = createMeliSandbox();
 * const server = setupServer(...meli.handlers);
 * server.listen();
 * const seller = meli.addSeller();
 * const { access_token } = meli.issueTokens(seller.id);
 * const item = meli.addItem({ title: 'Caneca 300 ml', available_quantity: 5 });
 * const { orderId } = meli.placeOrder({ itemId: item.id, quantity: 2 });
 * meli.payOrder(orderId);
 */
export function createMeliSandbox(options: MeliSandboxOptions = {}): MeliSandbox {
  const clock = options.clock ?? createSandboxClock();
  const limits: MeliSandboxLimits = { ...MELI_DEFAULT_LIMITS, ...options.limits };
  const behaviour: MeliSandboxBehaviour = { ...MELI_DEFAULT_BEHAVIOUR, ...options.behaviour };
  const webhooks = createWebhookDelivery({ maxAttempts: limits.notificationAttempts, ...options.webhooks });
  const faults = createFaultInjector({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    errorBody: (status) => ({
      message: `Injected fault (HTTP ${status})`,
      error: errorNameFor(status),
      status,
      cause: [],
    }),
  });
  const gate = createRateLimitGate(clock, options.rateLimit);
  const appGate = createRateLimitGate(clock, options.appRateLimit);
  const counter = createCallCounter();
  const state = createState();
  const ids = createIds();
  const context: MeliContext = createContext({ state, ids, clock, limits, behaviour, webhooks });
  let defaultApp = createApp(context, { id: MELI_SANDBOX_APP_ID, ...options.app });

  const router = createRouter(context, faults, gate, counter, appGate);
  const questions = createQuestionDesk(context);
  const claims = createClaimDesk(context, { ...MELI_DEFAULT_CLAIM_TIMINGS, ...options.claims });
  const messages = createMessageDesk(context);
  const auth = authHandlers(context, router, () => defaultApp);
  const routes = [
    ...auth.routes,
    ...itemHandlers(context, router),
    ...orderHandlers(context, router),
    ...shipmentHandlers(context, router),
    ...labelHandlers(context, router),
    ...invoiceHandlers(context, router),
    ...questions.routes(router),
    ...messages.routes(router),
    ...userHandlers(context, router),
    ...categoryHandlers(context, router),
    ...categoryAttributeHandlers(context, router),
    ...claims.routes(router),
  ];
  // Claims move over the sandbox clock: their due steps are applied before any call is answered.
  const handlers: RequestHandler[] = [
    router.serve(
      routes.map((route) => ({
        ...route,
        handle: (input) => {
          claims.settle();
          return route.handle(input);
        },
      })),
    ),
    auth.pages,
  ];

  function addUser(input: MeliUserInput, kind: 'seller' | 'buyer'): MeliUser {
    const siteId = input.siteId ?? 'MLB';
    const site = meliSite(siteId);
    const id = input.id ?? (kind === 'seller' ? ids.seller.next() : ids.buyer.next());
    if (state.users.has(id)) throw new RangeError(`User ${id} already exists`);
    const tags = new Set(input.tags ?? ['normal']);
    if (input.userProducts) tags.add('user_product_seller');
    const user: MeliUser = {
      id,
      nickname: input.nickname ?? `${kind === 'seller' ? 'TESTSELLER' : 'TESTBUYER'}${id}`,
      site_id: site.id,
      country_id: site.countryId,
      first_name: input.firstName ?? 'Test',
      last_name: input.lastName ?? `${kind === 'seller' ? 'Seller' : 'Buyer'} ${id}`,
      email: input.email ?? `test_user_${id}@testuser.com`,
      user_type: 'normal',
      tags: [...tags],
      registration_date: context.date(clock.now(), site.id),
      defaultShippingMode: input.defaultShippingMode ?? 'me2',
      ...(input.issuesNfe ? { issuesNfe: true } : {}),
    };
    state.users.set(id, user);
    if (kind === 'seller') {
      state.authorizingUserId ??= id;
      if (input.grantDefaultApp ?? true) {
        state.grants.set(`${id}:${defaultApp.id}`, {
          userId: id,
          appId: defaultApp.id,
          createdAt: clock.now(),
          scopes: [...defaultApp.scopes],
        });
      }
    }
    return structuredClone(user);
  }

  function firstSellerId(): number {
    const id = state.authorizingUserId;
    if (id === undefined) throw new RangeError('Add a seller first (addSeller)');
    return id;
  }

  function appOf(appId: number | undefined): MeliApp {
    const app = appId === undefined ? defaultApp : state.apps.get(appId);
    if (app === undefined) throw new RangeError(`No app ${appId}`);
    return app;
  }

  function addItem(input: MeliAddItemInput = {}): MeliItem {
    const { sellerId = firstSellerId(), ...fields } = input;
    const seller = state.users.get(sellerId);
    if (seller === undefined) throw new RangeError(`No seller ${sellerId}`);
    const site = meliSite(seller.site_id);
    const userProducts = seller.tags.includes('user_product_seller');
    const number = state.items.size + 1;
    const body: Record<string, unknown> = {
      ...(userProducts ? { family_name: `Sandbox product ${number}` } : { title: `Sandbox item ${number}` }),
      category_id: [...state.categories.keys()].find((id) => id.startsWith(site.id)) ?? `${site.id}1055`,
      price: 100,
      currency_id: site.currency,
      buying_mode: 'buy_it_now',
      listing_type_id: 'gold_special',
      ...(userProducts ? {} : { condition: 'new' }),
      pictures: [{ source: 'https://http2.mlstatic.com/sandbox-picture.jpg' }],
      ...(fields.variations === undefined ? { available_quantity: 10 } : {}),
      ...fields,
    };
    const created = createItem(context, seller, body);
    if (!created.ok) throw refusalError(created.refusal);
    return structuredClone(created.record.item);
  }

  const clone = <T>(value: T | undefined): T | undefined =>
    value === undefined ? undefined : structuredClone(value);
  const normaliseOrder = (
    input: MeliPlaceOrderInput | (MeliOrderLineInput & Omit<MeliPlaceOrderInput, 'items'>),
  ): MeliPlaceOrderInput => {
    if ('items' in input) return input;
    const { itemId, variationId, quantity, ...rest } = input;
    return {
      ...rest,
      items: [
        {
          itemId,
          ...(variationId === undefined ? {} : { variationId }),
          ...(quantity === undefined ? {} : { quantity }),
        },
      ],
    };
  };

  return {
    handlers,
    clock,
    faults,
    webhooks,
    get app() {
      return defaultApp;
    },
    setRateLimit: (config) => gate.configure(config),

    createApp: (input) => createApp(context, input),
    authorize: (input = {}) => authorize(context, defaultApp, input),
    setAuthorizingUser(userId) {
      if (!state.users.has(userId)) throw new RangeError(`No user ${userId}`);
      state.authorizingUserId = userId;
    },
    issueTokens: (userId, appId) => issueTokens(context, appOf(appId), userId),
    revokeGrant: (userId, appId) => {
      revokeGrant(context, userId, appOf(appId).id);
    },
    revokeTokens: (userId, appId) => revokeTokens(context, userId, appId),

    addSeller: (input = {}) => addUser(input, 'seller'),
    addBuyer: (input = {}) => addUser(input, 'buyer'),
    addCategory(category) {
      state.categories.set(category.id, { ...category });
    },
    addItem,
    notify({ topic, resource, userId = firstSellerId(), actions }) {
      context.notify(topic, resource, userId, actions);
    },
    setItemStatus(itemId, status, subStatus = []) {
      const record = state.items.get(itemId);
      if (record === undefined) throw new RangeError(`No item ${itemId}`);
      record.item.status = status;
      record.item.sub_status = [...subStatus];
      record.updatedAt = clock.now();
      record.item.last_updated = context.date(record.updatedAt, record.item.site_id);
      context.notify('items', `/items/${itemId}`, record.item.seller_id);
    },

    openClaim: (input) => claims.open(input),
    respondToPartialRefund: (claimId, accept) => claims.respondToPartialRefund(claimId, accept),
    decideDispute: (claimId, favour) => claims.decideDispute(claimId, favour),
    settleClaims: () => claims.settle(),
    getClaim: (id) => claims.get(id),
    getClaimReturn: (claimId) => claims.getReturn(claimId),
    listClaims: () => claims.list(),
    listClaimMessages: (claimId) => claims.messages(claimId),

    askQuestion: (input) => questions.ask({ ...input, buyerId: input.buyerId ?? addUser({}, 'buyer').id }),
    setQuestion: (questionId, change) => questions.set(questionId, change),
    getQuestion: (id) => questions.get(id),
    listQuestions: () => questions.list(),

    getUser: (id) => clone(state.users.get(id)),
    getItem: (id) => clone(state.items.get(id)?.item),
    listItems: (filter = {}) =>
      [...state.items.values()]
        .map((record) => record.item)
        .filter((item) => filter.sellerId === undefined || item.seller_id === filter.sellerId)
        .filter((item) => filter.status === undefined || item.status === filter.status)
        .map((item) => structuredClone(item)),
    getDescription: (itemId) => state.items.get(itemId)?.description?.plainText,
    getOrder: (id) => clone(state.orders.get(id)?.order),
    listOrders: (filter = {}) =>
      [...state.orders.values()]
        .map((record) => record.order)
        .filter((order) => filter.sellerId === undefined || order.seller.id === filter.sellerId)
        .filter((order) => filter.status === undefined || order.status === filter.status)
        .map((order) => structuredClone(order)),
    getPack: (id) => clone(state.packs.get(id)?.pack),
    getShipment: (id) => clone(state.shipments.get(id)?.shipment),
    listMessages: () => structuredClone(state.messages),
    missedFeeds: () => state.missedFeeds.map((feed) => structuredClone(feed.notification)),

    placeOrder: (input) => placeOrder(context, normaliseOrder(input)),
    payOrder: (orderId) => payOrder(context, orderId),
    cancelOrder: (orderId, input) => cancelOrder(context, orderId, input),
    shipOrder: (orderId, input) => shipOrder(context, orderId, input),
    deliverOrder: (orderId) => deliverOrder(context, orderId),
    sendMessage: (input) => messages.send(input),
    blockConversation: (orderId, substatus = 'blocked_by_buyer') => messages.block(orderId, substatus),
    unblockConversation: (orderId) => messages.unblock(orderId),

    reset() {
      Object.assign(state, createState());
      questions.clear();
      claims.clear();
      messages.clear();
      for (const sequence of Object.values(ids)) sequence.reset();
      defaultApp = createApp(context, { id: MELI_SANDBOX_APP_ID, ...options.app });
      faults.clear();
      webhooks.clear();
      counter.reset();
      gate.configure(options.rateLimit);
      appGate.configure(options.appRateLimit);
    },
    stats: () => counter.snapshot(),
  };
}

// The API's refusal as the core error, so a test reads each bad field the way the SDK reports it.
function refusalError(refusal: ItemRefusal): ValidationError {
  const issues =
    refusal.kind === 'types'
      ? refusal.errors.map((message) => ({
          path: /\[([^\]]+)\]/.exec(message)?.[1] ?? '',
          message,
          code: 'body.invalid_field_types',
        }))
      : refusal.causes.map((entry: MeliCause) => ({
          path: entry.references[0]?.replace(/^item\./, '') ?? '',
          message: entry.message,
          code: entry.code,
        }));
  return new ValidationError('The Mercado Livre sandbox refused the item', issues, {
    marketplace: 'meli',
    status: 400,
  });
}
