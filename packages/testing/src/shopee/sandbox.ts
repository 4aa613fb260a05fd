import type { RequestHandler } from 'msw';
import { http } from 'msw/core/http';
import { createSandboxClock, type SandboxClock } from '../shared/clock';
import { createFaultInjector, type FaultInjector } from '../shared/faults';
import { createCallCounter } from '../shared/http';
import { randomHex } from '../shared/random';
import { createRateLimitGate, type RateLimitConfig } from '../shared/rate-limit';
import type { DeliveryOptions, WebhookDelivery, WebhookTarget } from '../shared/webhooks';
import { authEndpoints, authorizationPushData } from './api-auth';
import { categoryEndpoints, requirementEndpoints } from './api-category';
import { documentEndpoints } from './api-documents';
import { mediaEndpoints } from './api-media';
import { orderEndpoints } from './api-order';
import {
  adjustEscrow,
  chargeUnmodelledFee,
  paymentEndpoints,
  SHOPEE_DEFAULT_ESCROW_RATES,
  type ShopeeEscrowRates,
} from './api-payment';
import { productEndpoints } from './api-product';
import { pushEndpoints } from './api-push';
import {
  SHOPEE_LIFETIMES,
  type ShopeeContext,
  type ShopeeEndpoint,
  type ShopeeIdSources,
  type ShopeeLifetimes,
} from './context';
import { defaultHttpStatus, newRequestId } from './envelope';
import {
  cancelOrder,
  completeOrder,
  deliverOrder,
  getOrderOrThrow,
  payOrder,
  placeOrder,
  requestCancellation,
  type ShopeePlaceOrderInput,
  ShopeeSandboxError,
  sendBuyerMessage,
  shipOrder,
} from './orders';
import { type ShopeeIdInput, toId } from './params';
import { marketPrice } from './prices';
import { createShopeePushes, type SHOPEE_PUSH_HEALTH } from './push';
import { routeShopeeCall } from './router';
import {
  emptyState,
  type PartnerRecord,
  REGION_CURRENCY,
  type ShopeeChannelRecord,
  type ShopeeImageRecord,
  type ShopeeItemRecord,
  type ShopeeItemStatus,
  type ShopeeLivePushStatus,
  type ShopeeLostPushRecord,
  type ShopeeMerchantRecord,
  type ShopeeModelRecord,
  type ShopeeOrderRecord,
  type ShopeePickupAddressRecord,
  type ShopeeShopRecord,
  type TokenScope,
} from './state';
import {
  activeGrantFor,
  createAuthCode,
  createGrant,
  type GrantTarget,
  grantScopes,
  mintTokens,
  type ShopeeAccount,
} from './tokens';

/** Base URLs of Shopee Open Platform v2 (reference §1). */
export const SHOPEE_HOSTS = {
  /** Production, global (default). */
  live: 'https://partner.shopeemobile.com',
  /** Production, Chinese Mainland. */
  liveChina: 'https://openplatform.shopee.cn',
  /** Production, Americas. */
  liveAmericas: 'https://openplatform.shopee.com.br',
  /** Sandbox v2, global. */
  sandbox: 'https://openplatform.sandbox.test-stable.shopee.sg',
  /** Sandbox v2, Chinese Mainland. */
  sandboxChina: 'https://openplatform.sandbox.test-stable.shopee.cn',
  /** Legacy test host; real Sandbox-v2 partners reportedly get `error_sign` there. */
  legacySandbox: 'https://partner.test-stable.shopeemobile.com',
} as const;

const ENDPOINTS: Readonly<Record<string, ShopeeEndpoint>> = {
  ...authEndpoints,
  ...productEndpoints,
  ...orderEndpoints,
  ...documentEndpoints,
  ...paymentEndpoints,
  ...mediaEndpoints,
  ...pushEndpoints,
  ...categoryEndpoints,
  ...requirementEndpoints,
};

/** The `tax_info` of a Brazilian item when the test gives none (an apparel NCM, sales CFOPs). */
const BRAZIL_SAMPLE_TAX_INFO: Readonly<Record<string, string>> = {
  ncm: '61091000',
  same_state_cfop: '5102',
  diff_state_cfop: '6108',
  csosn: '102',
  origin: '0',
  cest: '',
  measure_unit: 'UN',
};

/** Options of {@link createShopeeSandbox}. */
export interface ShopeeSandboxOptions {
  /** Clock of the sandbox. Default: real time that `clock.advance()` can move. */
  clock?: SandboxClock;
  /** Base URLs answered. Default: {@link SHOPEE_HOSTS}.live and .sandbox. */
  hosts?: readonly string[];
  /** Push delivery: `target` (URL or in-process handler), duplicates, out-of-order, autoFlush... */
  webhooks?: DeliveryOptions & { target?: WebhookTarget };
  /** Per-partner rate limit answering `error_rate_limit`. Default: unlimited. */
  rateLimit?: RateLimitConfig;
  /**
   * Per-shop rate limit (each partner × `shop_id` its own bucket) answering `error_rate_limit`,
   * checked after the per-partner one. Default: unlimited.
   */
  shopRateLimit?: RateLimitConfig;
  /** Seed of the fault injector's random source (for `rate` rules). */
  faultSeed?: number;
  /** Token, code, grant and timestamp lifetimes in seconds. Default: Shopee's ({@link SHOPEE_LIFETIMES}). */
  lifetimes?: Partial<ShopeeLifetimes>;
  /**
   * Id sources, e.g. `{ itemId: () => 9007199254740993n }` to exercise ids beyond 2^53.
   * Default: sequences of realistic-looking ids.
   */
  ids?: {
    itemId?: () => ShopeeIdInput;
    modelId?: () => ShopeeIdInput;
    orderSn?: (nowSeconds: number) => string;
  };
  /**
   * HTTP status per `error` code. Shopee documents none; defaults: 403 sign/auth/token errors,
   * 429 `error_rate_limit`, 404 `error_not_found`, 500 server errors, 400 everything else.
   */
  httpStatus?: Readonly<Record<string, number>>;
  /**
   * Code answered for an unknown or expired access token: `invalid_acceess_token` (sic, default)
   * or `error_auth` (both appear in Shopee's documentation).
   */
  invalidTokenError?: 'invalid_acceess_token' | 'error_auth';
  /**
   * How `get_lost_push_message` writes each lost push's `data`: `string` (default; the original
   * push body as JSON text, as the reference table and the raw official sample do) or `object`
   * (the form one re-parsed copy of the sample shows).
   */
  lostPushData?: 'string' | 'object';
  /** Fee rates of the escrows `payment/get_escrow_detail` answers. Default {@link SHOPEE_DEFAULT_ESCROW_RATES}. */
  escrowRates?: Partial<ShopeeEscrowRates>;
}

/** A partner (app) as {@link ShopeeSandbox.addPartner} seeds it. */
export interface ShopeePartnerInput {
  partnerId?: number;
  partnerKey?: string;
  /** Separate "Live Push Partner Key"; default: the partner key. */
  pushKey?: string;
  /** Callback URL pushes are signed over and sent to; default: the delivery's URL. */
  callbackUrl?: string;
}

/** A shop as {@link ShopeeSandbox.addShop} seeds it. */
export interface ShopeeShopInput {
  shopId?: number;
  region?: string;
  shopName?: string;
  merchantId?: number;
  /** Main account owning the shop (for main-account authorization). */
  mainAccountId?: number;
  /** Default: SPX Express (18080, integrated) and Seller Own Fleet (90000, non-integrated). */
  channels?: ShopeeChannelRecord[];
}

/** A merchant as {@link ShopeeSandbox.addMerchant} seeds it. */
export interface ShopeeMerchantInput {
  merchantId?: number;
  merchantName?: string;
  region?: string;
  mainAccountId?: number;
}

/** A model of {@link ShopeeAddItemInput}. */
export interface ShopeeModelInput {
  modelId?: ShopeeIdInput;
  tierIndex: number[];
  sku?: string;
  price: number | string;
  stock: number;
  status?: ShopeeModelRecord['status'];
}

/** An item as {@link ShopeeSandbox.addItem} seeds it. Items with `models` need `tierVariation`. */
export interface ShopeeAddItemInput {
  shopId: number;
  itemId?: ShopeeIdInput;
  name?: string;
  description?: string;
  sku?: string;
  status?: ShopeeItemStatus;
  categoryId?: number;
  weight?: number | string;
  imageIds?: string[];
  /** Price and stock of an item without models. */
  price?: number | string;
  stock?: number;
  tierVariation?: { name: string; options: string[] }[];
  models?: ShopeeModelInput[];
  /**
   * Fiscal data (`tax_info`, returned only with `need_tax_info=true`). Default for Brazilian shops:
   * a sample NCM, CFOPs, CSOSN, origin and unit; none elsewhere.
   */
  taxInfo?: { [key: string]: string };
}

/** Tokens minted by {@link ShopeeSandbox.issueTokens}. */
export interface ShopeeIssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Access token life in seconds, as `expire_in`. */
  expireIn: number;
  /** Epoch ms when the access token expires. */
  accessTokenExpiresAt: number;
  /** Epoch ms when the refresh token expires. */
  refreshTokenExpiresAt: number;
}

/** An item as stored by the sandbox (a copy; ids are bigint). */
export type ShopeeSandboxItem = Readonly<ShopeeItemRecord>;
/** An order as stored by the sandbox (a copy). */
export type ShopeeSandboxOrder = Readonly<ShopeeOrderRecord>;
/** A shop as stored by the sandbox (a copy). */
export type ShopeeSandboxShop = Readonly<ShopeeShopRecord>;
/** An uploaded image as stored by the sandbox (a copy). */
export type ShopeeSandboxImage = Readonly<ShopeeImageRecord>;

/** A stateful stand-in for the Shopee Open Platform v2, served through msw handlers. */
export interface ShopeeSandbox {
  /** msw handlers on the real hosts; pass to `setupServer(...sandbox.handlers)`. */
  readonly handlers: RequestHandler[];
  /** The clock every check reads (token expiry, timestamp window, order times, rate-limit refill). */
  readonly clock: SandboxClock;
  /** Fault rules applied to every API call. */
  readonly faults: FaultInjector;
  /** Push delivery; call `flush()` to deliver queued pushes. */
  readonly webhooks: WebhookDelivery;
  /** Sets (or with no argument removes) the per-partner rate limit. */
  setRateLimit(config?: RateLimitConfig): void;
  /** API calls received, in total and per path. */
  stats(): { requests: number; byPath: Record<string, number> };
  /** Forgets all state, faults, queued pushes, stats and rate-limit buckets. */
  reset(): void;

  /**
   * Sets the health of an app's push subscription (`get_app_push_config.live_push_status`). While
   * `Suspended` the app receives no pushes, and what it misses is not kept as lost pushes either.
   * Deliveries also move it by their success rate ({@link SHOPEE_PUSH_HEALTH}); setting the callback
   * URL again (`set_app_push_config`) ends a suspension.
   */
  setLivePushStatus(partnerId: number, status: ShopeeLivePushStatus): void;
  /** Copies of an app's lost pushes (failed for good after the delivery's `maxAttempts`), consumed ones included. */
  lostPushes(partnerId: number): ShopeeLostPushRecord[];

  /** Registers an app. */
  addPartner(input?: ShopeePartnerInput): { partnerId: number; partnerKey: string; pushKey: string };
  /** Registers a shop; the latest shop is the one that consents to `auth_partner` links by default. */
  addShop(input?: ShopeeShopInput): ShopeeSandboxShop;
  /** Registers a cross-border merchant. */
  addMerchant(input?: ShopeeMerchantInput): Readonly<ShopeeMerchantRecord>;
  /** Chooses which account consents when a browser follows an `auth_partner` link. */
  authorizeAs(account: ShopeeAccount): void;
  /**
   * Shopee's authorization-expiry warning (push code 12): one partner-level push listing every
   * shop and merchant of `partnerId` whose grant expires within `withinSeconds` (default 7 days,
   * as Shopee warns). Returns the ids listed; nothing is sent when none is expiring.
   */
  warnExpiringGrants(
    partnerId: number,
    withinSeconds?: number,
  ): Promise<{ shopIds: number[]; merchantIds: number[] }>;
  /** Authorizes without the browser: returns the code the redirect would carry (push code 1 queued). */
  authorize(input: { partnerId: number } & ShopeeAccount): Promise<{ code: string }>;
  /**
   * Mints tokens directly, skipping OAuth (a grant is created if none is active). Pass
   * `accessToken`/`refreshToken` to get fixed values (e.g. to replay documented signatures).
   */
  issueTokens(
    input: { partnerId: number; accessToken?: string; refreshToken?: string } & (
      | { shopId: number }
      | { merchantId: number }
      | { mainAccountId: number }
    ),
  ): ShopeeIssuedTokens;

  /** Adds an item (with models when `tierVariation`/`models` are given). */
  addItem(input: ShopeeAddItemInput): ShopeeSandboxItem;
  /** A copy of an item, or undefined. */
  getItem(itemId: ShopeeIdInput): ShopeeSandboxItem | undefined;
  /** Copies of all items, or of one shop's. */
  listItems(shopId?: number): ShopeeSandboxItem[];
  /** An image uploaded through `media_space/upload_image`, or undefined. */
  getImage(imageId: string): ShopeeSandboxImage | undefined;

  /** A buyer orders; stock is taken at once; the order is UNPAID (push code 3). */
  placeOrder(input: ShopeePlaceOrderInput): Promise<ShopeeSandboxOrder>;
  /** The buyer pays: READY_TO_SHIP. */
  payOrder(orderSn: string): Promise<ShopeeSandboxOrder>;
  /** Cancels before shipment and puts the stock back (default: by the buyer). */
  cancelOrder(
    orderSn: string,
    options?: { by?: 'buyer' | 'seller' | 'system' | 'Ops'; reason?: string },
  ): Promise<ShopeeSandboxOrder>;
  /** The buyer asks to cancel: IN_CANCEL until the seller calls `handle_buyer_cancellation`. */
  requestCancellation(orderSn: string, reason?: string): Promise<ShopeeSandboxOrder>;
  /** The carrier picks the parcel up (arranging pickup first if needed): SHIPPED, with tracking (push 4). */
  shipOrder(orderSn: string): Promise<ShopeeSandboxOrder>;
  /** The parcel is delivered: TO_CONFIRM_RECEIVE. */
  deliverOrder(orderSn: string): Promise<ShopeeSandboxOrder>;
  /** The buyer confirms receipt: COMPLETED. */
  completeOrder(orderSn: string): Promise<ShopeeSandboxOrder>;
  /** A buyer's chat message to a shop (push code 10). */
  sendMessage(input: {
    shopId: number;
    text: string;
    orderSn?: string;
  }): Promise<{ messageId: string; conversationId: string }>;
  /** A copy of an order with its package, or undefined. */
  getOrder(orderSn: string): ShopeeSandboxOrder | undefined;
  /** Copies of all orders, or of one shop's. */
  listOrders(shopId?: number): ShopeeSandboxOrder[];
  /** A post-settlement correction of an order's escrow (`order_adjustment`; signed, e.g. `'-5.00'`). */
  adjustEscrow(orderSn: string, input: { amount: string; reason: string }): void;
  /**
   * Charges a fee under a field name the reference does not list, subtracted from the escrow as
   * Shopee does with the fields it adds: a client that does not know the field sees its lines miss
   * the escrow by that amount.
   */
  chargeUnmodelledFee(orderSn: string, field: string, amount: string): void;
}

function sequence(start: bigint): () => bigint {
  let next = start;
  return () => {
    const current = next;
    next += 1n;
    return current;
  };
}

function defaultIdSources(options: ShopeeSandboxOptions['ids'] = {}): ShopeeIdSources {
  const items = sequence(30_000_000_001n);
  const models = sequence(100_000_000_001n);
  const shops = sequence(600_001n);
  let orders = 0;
  return {
    itemId: options.itemId ? () => toId(options.itemId!()) : items,
    modelId: options.modelId ? () => toId(options.modelId!()) : models,
    shopId: () => Number(shops()),
    orderSn:
      options.orderSn ??
      ((now) => {
        orders += 1;
        const date = new Date(now * 1000).toISOString();
        const yymmdd = date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10);
        return yymmdd + orders.toString(36).toUpperCase().padStart(8, '0');
      }),
  };
}

function defaultChannels(): ShopeeChannelRecord[] {
  return [
    { logisticsChannelId: 18080, name: 'SPX Express', integrated: true },
    { logisticsChannelId: 90000, name: 'Seller Own Fleet', integrated: false },
  ];
}

function pickupAddress(addressId: bigint, region: string): ShopeePickupAddressRecord {
  return {
    addressId,
    region,
    state: 'Central',
    city: 'Capital City',
    district: '',
    town: '',
    address: '1 Warehouse Road',
    zipcode: '100000',
  };
}

/**
 * Creates a Shopee Open Platform v2 sandbox: partners, shops, tokens, items with models,
 * orders with packages, signed pushes, faults, a rate limit and a controllable clock.
 *
 * @example
 * const shopee = createShopeeSandbox({ webhooks: { target: 'https://app.example.com/shopee/push' } });
 * const { partnerId, partnerKey } = shopee.addPartner();
 * const shop = shopee.addShop({ region: 'SG' });
 * const tokens = shopee.issueTokens({ partnerId, shopId: shop.shopId });
 * const server = setupServer(...shopee.handlers);
 * server.listen();
 */
export function createShopeeSandbox(options: ShopeeSandboxOptions = {}): ShopeeSandbox {
  const clock = options.clock ?? createSandboxClock();
  const lifetimes: ShopeeLifetimes = { ...SHOPEE_LIFETIMES, ...options.lifetimes };
  const faults = createFaultInjector({
    ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
    errorBody: (status) => ({
      request_id: newRequestId(),
      error: status === 429 ? 'error_rate_limit' : status >= 500 ? 'error_server' : 'error_param',
      message: `Injected fault: HTTP ${status}`,
    }),
  });
  const gate = createRateLimitGate(clock, options.rateLimit);
  const shopGate = createRateLimitGate(clock, options.shopRateLimit);
  const counter = createCallCounter();
  let state = emptyState();
  let ids = defaultIdSources(options.ids);
  let addressIds = sequence(2_001n);
  let consenting: ShopeeAccount | undefined;
  const live = {
    get state() {
      return state;
    },
    clock,
  };
  const { queue, webhooks } = createShopeePushes(live, options.webhooks);
  const context: ShopeeContext = {
    get state() {
      return state;
    },
    clock,
    lifetimes,
    get ids() {
      return ids;
    },
    pushes: queue,
    consentingAccount: () => consenting,
    invalidTokenError: options.invalidTokenError ?? 'invalid_acceess_token',
    lostPushData: options.lostPushData ?? 'string',
    escrowRates: { ...SHOPEE_DEFAULT_ESCROW_RATES, ...options.escrowRates },
  };
  const partnerIds = sequence(1_000_001n);
  const merchantIds = sequence(2_000_001n);

  const statusFor = (error: string): number =>
    options.httpStatus?.[error] ?? options.httpStatus?.[error.trim()] ?? defaultHttpStatus(error);

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    counter.count(path);
    return faults.run(request, () =>
      routeShopeeCall(request, ENDPOINTS[path], context, {
        takeRateLimit: (partnerId, shopId) =>
          gate.take(`partner:${partnerId}`) &&
          (shopId === undefined || shopGate.take(`partner:${partnerId}|shop:${shopId}`)),
        statusFor,
      }),
    );
  }

  const hosts = options.hosts ?? [SHOPEE_HOSTS.live, SHOPEE_HOSTS.sandbox];
  const handlers: RequestHandler[] = hosts.map((host) =>
    http.all(`${host.replace(/\/$/, '')}/api/v2/*`, ({ request }) => handle(request)),
  );

  const copy = <T>(value: T): T => structuredClone(value);
  const settle = async <T>(value: T): Promise<T> => {
    await queue.settled();
    return copy(value);
  };

  function requireShop(shopId: number): ShopeeShopRecord {
    const shop = state.shops.get(shopId);
    if (!shop) throw new ShopeeSandboxError(`Unknown shop ${shopId}`);
    return shop;
  }

  function buildModels(input: ShopeeAddItemInput, region: string): ShopeeModelRecord[] {
    const tiers = input.tierVariation ?? [];
    const seen = new Set<string>();
    return (input.models ?? []).map((model) => {
      const valid =
        model.tierIndex.length === tiers.length &&
        model.tierIndex.every((option, tier) => option >= 0 && option < (tiers[tier]?.options.length ?? 0));
      if (!valid)
        throw new ShopeeSandboxError(`tierIndex ${model.tierIndex.join(',')} does not match tierVariation`);
      const key = model.tierIndex.join(',');
      if (seen.has(key)) throw new ShopeeSandboxError(`Duplicate tierIndex ${key}`);
      seen.add(key);
      return {
        modelId: model.modelId === undefined ? ids.modelId() : toId(model.modelId),
        tierIndex: [...model.tierIndex],
        sku: model.sku ?? '',
        price: marketPrice(model.price, region),
        stock: model.stock,
        status: model.status ?? 'MODEL_NORMAL',
      };
    });
  }

  return {
    handlers,
    clock,
    faults,
    webhooks,
    setRateLimit: (config) => gate.configure(config),
    stats: () => counter.snapshot(),
    reset() {
      state = emptyState();
      ids = defaultIdSources(options.ids);
      addressIds = sequence(2_001n);
      consenting = undefined;
      faults.clear();
      gate.configure(options.rateLimit);
      shopGate.configure(options.shopRateLimit);
      counter.reset();
      webhooks.clear();
    },
    setLivePushStatus(partnerId, status) {
      const partner = state.partners.get(partnerId);
      if (!partner) throw new ShopeeSandboxError(`Unknown partner ${partnerId}`);
      partner.livePushStatus = status;
      partner.suspendedTime = status === 'Suspended' ? Math.floor(clock.now() / 1000) : undefined;
    },
    lostPushes: (partnerId) => copy(state.partners.get(partnerId)?.lostPushes ?? []),

    addPartner(input = {}) {
      const partnerId = input.partnerId ?? Number(partnerIds());
      if (state.partners.has(partnerId)) throw new ShopeeSandboxError(`Partner ${partnerId} already exists`);
      const partnerKey = input.partnerKey ?? `shpk${randomHex(60)}`;
      const partner: PartnerRecord = {
        partnerId,
        partnerKey,
        pushKey: input.pushKey ?? partnerKey,
        callbackUrl: input.callbackUrl,
        pushCodesOff: new Set(),
        blockedShopIds: new Set(),
        livePushStatus: 'Normal',
        suspendedTime: undefined,
        lostPushes: [],
        pushAttempts: [],
      };
      state.partners.set(partnerId, partner);
      return { partnerId, partnerKey, pushKey: partner.pushKey };
    },
    addShop(input = {}) {
      const shopId = input.shopId ?? ids.shopId();
      if (state.shops.has(shopId)) throw new ShopeeSandboxError(`Shop ${shopId} already exists`);
      const region = input.region ?? 'SG';
      const currency = REGION_CURRENCY[region];
      if (!currency) throw new ShopeeSandboxError(`Unknown region ${region}`);
      const shop: ShopeeShopRecord = {
        shopId,
        shopName: input.shopName ?? `Shop ${shopId}`,
        region,
        currency,
        merchantId: input.merchantId,
        mainAccountId: input.mainAccountId,
        pickupAddresses: [pickupAddress(addressIds(), region)],
        channels: input.channels ?? defaultChannels(),
      };
      state.shops.set(shopId, shop);
      consenting = { shopId };
      return copy(shop);
    },
    addMerchant(input = {}) {
      const merchantId = input.merchantId ?? Number(merchantIds());
      const region = input.region ?? 'CN';
      const merchant: ShopeeMerchantRecord = {
        merchantId,
        merchantName: input.merchantName ?? `Merchant ${merchantId}`,
        region,
        currency: REGION_CURRENCY[region] ?? 'CNY',
        mainAccountId: input.mainAccountId,
      };
      state.merchants.set(merchantId, merchant);
      return copy(merchant);
    },
    authorizeAs(account) {
      consenting = account;
    },
    async warnExpiringGrants(partnerId, withinSeconds = 7 * 24 * 60 * 60) {
      const now = Math.floor(clock.now() / 1000);
      const expiring = state.grants.filter(
        (grant) =>
          grant.partnerId === partnerId &&
          !grant.revoked &&
          grant.expireTime > now &&
          grant.expireTime <= now + withinSeconds,
      );
      const shopIds = [...new Set(expiring.flatMap((grant) => grant.shopIds))];
      const merchantIds = [...new Set(expiring.flatMap((grant) => grant.merchantIds))];
      if (shopIds.length + merchantIds.length > 0) {
        queue.forPartner(partnerId, 12, { shop_id_list: shopIds, merchant_id_list: merchantIds });
        await queue.settled();
      }
      return { shopIds, merchantIds };
    },
    async authorize(input) {
      const { partnerId, ...account } = input;
      const record = createAuthCode(context, partnerId, account as ShopeeAccount);
      queue.forPartner(partnerId, 1, authorizationPushData(record.grant, true));
      await queue.settled();
      return { code: record.code };
    },
    issueTokens(input) {
      const { partnerId, accessToken, refreshToken, ...rest } = input;
      const target = rest as GrantTarget;
      const grant = activeGrantFor(context, partnerId, target) ?? createGrant(context, partnerId, target);
      const scopes: TokenScope[] =
        'shopId' in target
          ? [`shop:${target.shopId}`]
          : 'merchantId' in target
            ? [`merchant:${target.merchantId}`]
            : grantScopes(grant);
      const fixed = {
        ...(accessToken === undefined ? {} : { accessToken }),
        ...(refreshToken === undefined ? {} : { refreshToken }),
      };
      const minted = mintTokens(context, partnerId, scopes, fixed);
      return {
        accessToken: minted.accessToken.token,
        refreshToken: minted.refreshToken.token,
        expireIn: lifetimes.accessToken,
        accessTokenExpiresAt: clock.now() + lifetimes.accessToken * 1000,
        refreshTokenExpiresAt: minted.refreshToken.expiresAtMs,
      };
    },

    addItem(input) {
      const shop = requireShop(input.shopId);
      const now = Math.floor(clock.now() / 1000);
      const itemId = input.itemId === undefined ? ids.itemId() : toId(input.itemId);
      if (state.items.has(itemId)) throw new ShopeeSandboxError(`Item ${itemId} already exists`);
      const models = buildModels(input, shop.region);
      const item: ShopeeItemRecord = {
        itemId,
        shopId: shop.shopId,
        name: input.name ?? `Item ${itemId}`,
        description: input.description ?? 'A product of the sandbox.',
        sku: input.sku ?? '',
        status: input.status ?? 'NORMAL',
        categoryId: input.categoryId ?? 100_017,
        condition: 'NEW',
        weight: String(input.weight ?? '0.3'),
        dimension: undefined,
        imageIds: input.imageIds ?? [],
        brand: undefined,
        createTime: now,
        updateTime: now,
        price: marketPrice(input.price ?? models[0]?.price ?? 10, shop.region),
        stock: models.length > 0 ? 0 : (input.stock ?? 0),
        tierVariation: (input.tierVariation ?? []).map((tier) => ({
          name: tier.name,
          options: [...tier.options],
        })),
        models,
        taxInfo: input.taxInfo ?? (shop.region === 'BR' ? { ...BRAZIL_SAMPLE_TAX_INFO } : undefined),
      };
      state.items.set(itemId, item);
      return copy(item);
    },
    getItem(itemId) {
      const item = state.items.get(toId(itemId));
      return item && copy(item);
    },
    listItems(shopId) {
      return [...state.items.values()]
        .filter((item) => shopId === undefined || item.shopId === shopId)
        .map(copy);
    },
    getImage(imageId) {
      const image = state.images.get(imageId);
      return image && copy(image);
    },

    placeOrder: async (input) => settle(placeOrder(context, input)),
    payOrder: async (orderSn) => settle(payOrder(context, orderSn)),
    cancelOrder: async (orderSn, cancelOptions) => settle(cancelOrder(context, orderSn, cancelOptions)),
    requestCancellation: async (orderSn, reason = 'Need to change delivery address') =>
      settle(requestCancellation(context, orderSn, reason)),
    shipOrder: async (orderSn) => settle(shipOrder(context, orderSn)),
    deliverOrder: async (orderSn) => settle(deliverOrder(context, orderSn)),
    completeOrder: async (orderSn) => settle(completeOrder(context, orderSn)),
    sendMessage: async (input) => settle(sendBuyerMessage(context, input)),
    getOrder(orderSn) {
      const order = state.orders.get(orderSn);
      return order && copy(order);
    },
    listOrders(shopId) {
      return [...state.orders.values()]
        .filter((order) => shopId === undefined || order.shopId === shopId)
        .map(copy);
    },
    adjustEscrow(orderSn, input) {
      adjustEscrow(context, getOrderOrThrow(context, orderSn), input);
    },
    chargeUnmodelledFee(orderSn, field, amount) {
      chargeUnmodelledFee(getOrderOrThrow(context, orderSn), field, amount);
    },
  };
}
