/**
 * `createTikTokSandbox()`: a stateful stand-in for the TikTok Shop Open API (202309+ paths), written
 * from the API reference, with msw handlers on the real hosts.
 */
import type { RequestHandler } from 'msw';
import { http } from 'msw/core/http';
import { createSandboxClock, type SandboxClock } from '../shared/clock';
import { createFaultInjector, type FaultInjector } from '../shared/faults';
import { createCallCounter } from '../shared/http';
import { createRateLimitGate, type RateLimitConfig } from '../shared/rate-limit';
import {
  createWebhookDelivery,
  type DeliveryOptions,
  type WebhookDelivery,
  type WebhookTarget,
} from '../shared/webhooks';
import { createAuthHost } from './auth-host';
import type {
  TikTokEmptyBodySignature,
  TikTokProductStatusField,
  TikTokSandboxContext,
  TikTokSandboxSettings,
} from './context';
import { TIKTOK_SANDBOX_ERRORS } from './errors';
import { createGateway, createRequestIds, type TikTokRoute } from './gateway';
import {
  adjustStock,
  cancelOrder as cancelOrderTransition,
  collectOrder,
  completeOrder,
  defaultWarehouseId,
  deliverOrder,
  findSku,
  isDecimalString,
  markShipped,
  payOrder,
  placeOrder,
  releaseHold,
  requestCancellation,
  requireOrder,
  requireShop,
  setProductStatus,
  shipPackage,
  type TikTokPlaceOrderInput,
  TikTokSandboxError,
} from './lifecycle';
import { createReturnDrivers, type TikTokReturnDeadlines, type TikTokSandboxReturns } from './returns';
import { authorizationRoutes } from './routes/authorization';
import { categoryRoutes } from './routes/categories';
import { addChatMessage, conversationWith, customerServiceRoutes } from './routes/customer-service';
import { documentFileHandler } from './routes/documents';
import { eventRoutes } from './routes/events';
import {
  addExtraFee,
  financeRoutes,
  recordCompletion,
  TIKTOK_DEFAULT_FINANCE_RATES,
  type TikTokExtraFee,
  type TikTokFinanceRates,
} from './routes/finance';
import { fulfillmentRoutes } from './routes/fulfillment';
import { invoiceRoutes } from './routes/invoices';
import { logisticsRoutes } from './routes/logistics';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { returnRoutes } from './routes/returns';
import {
  authorizationKey,
  createTikTokState,
  subscriptionKey,
  type TikTokOrderStatus,
  type TikTokProductStatus,
  type TikTokSandboxAddress,
  type TikTokSandboxApp,
  type TikTokSandboxCancellation,
  type TikTokSandboxOrder,
  type TikTokSandboxPackage,
  type TikTokSandboxProduct,
  type TikTokSandboxShippingProvider,
  type TikTokSandboxShop,
  type TikTokSandboxSku,
  type TikTokSandboxWarehouse,
  type TikTokSandboxWebhookSubscription,
  type TikTokState,
} from './state';
import {
  authorizeApp,
  issueAuthCode,
  mintTokens,
  TIKTOK_SANDBOX_SCOPES,
  type TikTokSandboxTokens,
} from './tokens';
import { createSignedWebhookQueue, TIKTOK_WEBHOOK_TYPES } from './webhooks';

/** The open API host (all regions, 202309+). */
export const TIKTOK_API_BASE_URL = 'https://open-api.tiktokglobalshop.com';
/** The auth host (token get / refresh). */
export const TIKTOK_AUTH_BASE_URL = 'https://auth.tiktok-shops.com';

/** Carriers offered by default for seller shipping (`shipping_provider_id`). */
export const TIKTOK_SANDBOX_SHIPPING_PROVIDERS: readonly TikTokSandboxShippingProvider[] = [
  { id: '7117858858072016686', name: 'Royal Mail' },
  { id: '7117859138566768430', name: 'DPD' },
  { id: '7117859405072416558', name: 'Evri' },
];

/** Markets where local sellers' self-shipped orders get a package only when marked shipped (reference §8.1). */
const MARK_SHIPPED_REGIONS = new Set(['US', 'GB', 'ES', 'IE', 'IT', 'DE', 'FR', 'JP']);

const CURRENCY_BY_REGION: Record<string, string> = {
  GB: 'GBP',
  US: 'USD',
  ID: 'IDR',
  MY: 'MYR',
  TH: 'THB',
  VN: 'VND',
  PH: 'PHP',
  SG: 'SGD',
  JP: 'JPY',
  MX: 'MXN',
  BR: 'BRL',
  ES: 'EUR',
  IE: 'EUR',
  IT: 'EUR',
  DE: 'EUR',
  FR: 'EUR',
};

/** Options of {@link createTikTokSandbox}. Every default follows the reference. */
export interface TikTokSandboxOptions {
  /** Open API host(s) served. Default `https://open-api.tiktokglobalshop.com`. */
  apiBaseUrl?: string | readonly string[];
  /** Auth host(s) served. Default `https://auth.tiktok-shops.com`. */
  authBaseUrl?: string | readonly string[];
  /** The app created with the sandbox (`sandbox.app`). */
  app?: Partial<TikTokSandboxApp>;
  /** Clock of the sandbox. Default: real time, movable with `advance()` (clients sign with real time). */
  clock?: SandboxClock;
  /** Allowed distance of a request `timestamp` from the clock. Default 300 (5 minutes). */
  timestampToleranceSeconds?: number;
  /** Default 604 800 (7 days). */
  accessTokenLifetimeSeconds?: number;
  /** Default 31 536 000 (365 days; TikTok returns an absolute time, often about a year away). */
  refreshTokenLifetimeSeconds?: number;
  /** Default 1 800 (30 minutes). */
  authCodeLifetimeSeconds?: number;
  /**
   * Whether a refresh returns a new refresh token (and refuses the old one) or the same one.
   * TikTok does not document it; default `rotate`, the stricter case.
   */
  refreshTokenRotation?: 'rotate' | 'reuse';
  /** `instant` (default): products pass audit at once; `manual`: they stay `PENDING` until `setProductStatus`. */
  productAudit?: 'instant' | 'manual';
  /** Refuse a legacy `shop_id` query parameter (36009004). Default true. */
  rejectShopIdParam?: boolean;
  /**
   * Which signature a JSON body of exactly `{}` may carry. TikTok's official Node sample leaves an
   * empty object out of the signed string, the Go and Java samples sign the bytes sent, and the
   * server's own rule is undocumented (reference §3.2). `either` (default) accepts both; `bytes`
   * and `skipped` accept only one, to test a client against each reading.
   */
  emptyBodySignature?: TikTokEmptyBodySignature;
  /**
   * The field Get Product names the status with: `status` (default), `product_status` (seen in
   * some responses), or `omitted` (a payload without one).
   */
  productStatusField?: TikTokProductStatusField;
  /**
   * Write every id of an API answer (`id`, `product_id`, `sku_id`, `warehouse_id`, ...) as a bare
   * JSON number, as some real payloads do, instead of a string. Default false. Ids beyond 2^53
   * then lose digits in a client that uses plain `JSON.parse`.
   */
  numericIds?: boolean;
  /** Rate limit per app and shop cipher; answered with HTTP 429 / 36009002. Default none. */
  rateLimit?: RateLimitConfig;
  /**
   * Rate limit per app over all its shops, checked after the per-shop one; answered like it.
   * Default none (TikTok publishes no app-wide limit; set one to model it).
   */
  appRateLimit?: RateLimitConfig;
  /** Webhook delivery: target (URL or in-process handler), duplicates, out-of-order, auto-flush. */
  webhooks?: DeliveryOptions & { target?: WebhookTarget };
  /** Webhook address used when neither the shop's Event API subscription nor the app has one. */
  webhookUrl?: string;
  /** Seconds each party has on a return (defaults: `TIKTOK_RETURN_DEADLINES`). */
  returnDeadlines?: Partial<TikTokReturnDeadlines>;
  /** Carriers for seller shipping. */
  shippingProviders?: readonly TikTokSandboxShippingProvider[];
  /** Seed or random source of `rate` fault rules. */
  faults?: { seed?: number; random?: () => number };
  /** Fee rates of settlements. Default {@link TIKTOK_DEFAULT_FINANCE_RATES}. */
  financeRates?: Partial<TikTokFinanceRates>;
}

/** Input of {@link TikTokSandbox.addShop}. */
export interface TikTokAddShopInput {
  id?: string;
  name?: string;
  /** Market, e.g. `GB` (default), `US`, `ID`. */
  region?: string;
  sellerType?: 'LOCAL' | 'CROSS_BORDER';
  cipher?: string;
  code?: string;
  /** Default: the region's currency. */
  currency?: string;
  /** An existing seller's `open_id`, or the `open_id` of the new seller. */
  openId?: string;
  sellerName?: string;
  /** Extra warehouses; the shop always gets a default sales warehouse first. */
  warehouses?: Array<Partial<Omit<TikTokSandboxWarehouse, 'address'>>>;
  /** Default: true for local sellers in US, GB, ES, IE, IT, DE, FR, JP. */
  packagesCreatedOnMarkShipped?: boolean;
  /** App keys that get an authorization (no tokens yet) for the shop's seller. Default: the sandbox's app. */
  authorizedApps?: string[];
}

/** One SKU of {@link TikTokAddProductInput}. */
export interface TikTokAddSkuInput {
  sellerSku?: string;
  /** Decimal string. Default `"10.00"`. */
  price?: string;
  /** Default: the shop's currency. */
  currency?: string;
  /** Units in the default warehouse, or units per warehouse id. Default 100. */
  stock?: number | Record<string, number>;
  /** Variant axes, e.g. `{ Color: 'Red', Size: 'M' }`. */
  salesAttributes?: Record<string, string>;
}

/** Input of {@link TikTokSandbox.addProduct}. */
export interface TikTokAddProductInput {
  /** Default: the first shop. */
  shopId?: string;
  title?: string;
  description?: string;
  categoryId?: string;
  /** Default `ACTIVATE` (on sale). */
  status?: TikTokProductStatus;
  /** Default: one SKU with the defaults of {@link TikTokAddSkuInput}. */
  skus?: TikTokAddSkuInput[];
}

/** Whom an auth helper acts for: a seller (`openId`) or a shop's seller (`shopId`); default the first shop's. */
export interface TikTokSellerSelector {
  appKey?: string;
  openId?: string;
  shopId?: string;
}

/** The TikTok Shop sandbox. */
export interface TikTokSandbox {
  /** msw handlers for the open API host and the auth host. */
  handlers: RequestHandler[];
  /** Base URLs served first: `{ api, auth }`. */
  urls: { api: string; auth: string };
  clock: SandboxClock;
  faults: FaultInjector;
  /** Queued webhooks; `await sandbox.webhooks.flush()` delivers them. */
  webhooks: WebhookDelivery;
  /** Sets (or with no argument removes) the rate limit. */
  setRateLimit(config?: RateLimitConfig): void;
  /** The app created with the sandbox. */
  readonly app: TikTokSandboxApp;

  // --- seed ---
  createApp(input?: Partial<TikTokSandboxApp>): TikTokSandboxApp;
  addShop(input?: TikTokAddShopInput): TikTokSandboxShop;
  addWarehouse(
    shopId: string,
    input?: Partial<Omit<TikTokSandboxWarehouse, 'address'>>,
  ): TikTokSandboxWarehouse;
  addProduct(input?: TikTokAddProductInput): TikTokSandboxProduct;
  /** Sets a SKU's available units in a warehouse (default: the shop's default warehouse). */
  setStock(skuId: string, quantity: number, warehouseId?: string): void;

  // --- auth ---
  /** The seller consents on the authorize page: returns the single-use code and the redirect the app would get. */
  authorize(input?: TikTokSellerSelector & { scopes?: readonly string[]; state?: string }): {
    code: string;
    openId: string;
    redirectUrl: string;
  };
  /** Mints tokens directly, skipping OAuth. */
  issueTokens(input?: TikTokSellerSelector & { scopes?: readonly string[] }): TikTokSandboxTokens;
  /** The seller revokes the app: its tokens stop working, SELLER_DEAUTHORIZATION is sent. */
  deauthorize(input?: TikTokSellerSelector): void;
  /** Sends UPCOMING_AUTHORIZATION_EXPIRATION for a shop. */
  notifyAuthorizationExpiring(input: { shopId: string; appKey?: string; expiresAt: number }): void;

  // --- inspect (copies; mutate through the API or the drivers) ---
  getShop(shopId: string): TikTokSandboxShop | undefined;
  listShops(): TikTokSandboxShop[];
  getProduct(productId: string): TikTokSandboxProduct | undefined;
  listProducts(filter?: { shopId?: string; status?: TikTokProductStatus }): TikTokSandboxProduct[];
  getSku(skuId: string): TikTokSandboxSku | undefined;
  /** Available units of a SKU in one warehouse, or in all of them. */
  stockOf(skuId: string, warehouseId?: string): number;
  getOrder(orderId: string): TikTokSandboxOrder | undefined;
  listOrders(filter?: { shopId?: string; status?: TikTokOrderStatus }): TikTokSandboxOrder[];
  getPackage(packageId: string): TikTokSandboxPackage | undefined;
  listPackages(filter?: { orderId?: string }): TikTokSandboxPackage[];
  listCancellations(filter?: { orderId?: string }): TikTokSandboxCancellation[];
  /** Returns and refunds: the buyer's requests and answers, TikTok's arbitration, the deadlines. */
  readonly returns: TikTokSandboxReturns;
  webhookSubscriptions(shopId: string, appKey?: string): TikTokSandboxWebhookSubscription[];

  // --- drive the buyer, carrier and platform side ---
  placeOrder(input: TikTokPlaceOrderInput): TikTokSandboxOrder;
  payOrder(orderId: string): TikTokSandboxOrder;
  releaseHold(orderId: string): TikTokSandboxOrder;
  cancelOrder(
    orderId: string,
    input?: { initiator?: 'BUYER' | 'SELLER' | 'SYSTEM'; reason?: string },
  ): TikTokSandboxOrder;
  requestCancellation(orderId: string, input?: { reason?: string }): TikTokSandboxCancellation;
  /** Ships whatever is left to ship and hands it to the carrier: `IN_TRANSIT`. */
  shipOrder(
    orderId: string,
    input?: { trackingNumber?: string; shippingProviderId?: string },
  ): TikTokSandboxOrder;
  deliverOrder(orderId: string): TikTokSandboxOrder;
  /** The return window closes: `COMPLETED`; the order settles in the statement of the next 00:00 UTC. */
  completeOrder(orderId: string): TikTokSandboxOrder;
  /**
   * Adds a fee to an order's settlement: `itemised` in `fee_tax_breakdown.fee` under `key`, or
   * (`itemised: false`) only in the fee and settlement totals, as a breakdown missing a field would.
   */
  chargeFinanceFee(orderId: string, fee: TikTokExtraFee): void;
  updateRecipientAddress(orderId: string, address: Partial<TikTokSandboxAddress>): TikTokSandboxOrder;
  /**
   * A buyer writes to the shop, in the conversation of that buyer (created when first needed):
   * NEW_MESSAGE webhook. The customer-service endpoints need the `seller.customer_service` scope,
   * which default tokens lack: authorize with it (`scopes`) to read and answer.
   */
  sendMessage(input: { content: string; orderId?: string; shopId?: string }): {
    conversationId: string;
    messageId: string;
  };
  /** The platform changes a product's status (audit result, freeze, takedown). */
  setProductStatus(
    productId: string,
    status: TikTokProductStatus,
    input?: { reason?: string },
  ): TikTokSandboxProduct;

  /** Empties the state (the app stays), the stats, the faults and the webhook queue. */
  reset(): void;
  /** API calls counted by route template (auth host calls by path). */
  stats(): { requests: number; byPath: Record<string, number> };
}

function list(value: string | readonly string[] | undefined, fallback: string): string[] {
  const values = value === undefined ? [fallback] : typeof value === 'string' ? [value] : [...value];
  return values.map((entry) => entry.replace(/\/+$/, ''));
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

/** All the endpoints of the open API host. */
export const TIKTOK_ROUTES: readonly TikTokRoute[] = [
  ...authorizationRoutes,
  ...productRoutes,
  ...categoryRoutes,
  ...orderRoutes,
  ...fulfillmentRoutes,
  ...invoiceRoutes,
  ...logisticsRoutes,
  ...eventRoutes,
  ...returnRoutes,
  ...customerServiceRoutes,
  ...financeRoutes,
];

/**
 * Creates a TikTok Shop sandbox with one app (`sandbox.app`) and no shops.
 *
 * @example
 * const sandbox = createTikTokSandbox({ webhooks: { target: (request) => app.fetch(request) } });
 * const server = setupServer(...sandbox.handlers);
 * server.listen();
 * const shop = sandbox.addShop();
 * const product = sandbox.addProduct({ skus: [{ price: '12.99', stock: 5 }] });
 * const tokens = sandbox.issueTokens({ shopId: shop.id });
 * const order = sandbox.placeOrder({ items: [{ skuId: product.skus[0]!.id, quantity: 2 }] });
 * sandbox.payOrder(order.id);
 * await sandbox.webhooks.flush(); // ORDER_STATUS_CHANGE UNPAID, then AWAITING_SHIPMENT
 */
export function createTikTokSandbox(options: TikTokSandboxOptions = {}): TikTokSandbox {
  const clock = options.clock ?? createSandboxClock();
  const settings: TikTokSandboxSettings = {
    timestampToleranceSeconds: options.timestampToleranceSeconds ?? 300,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 7 * 24 * 60 * 60,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 365 * 24 * 60 * 60,
    authCodeLifetimeSeconds: options.authCodeLifetimeSeconds ?? 30 * 60,
    refreshTokenRotation: options.refreshTokenRotation ?? 'rotate',
    productAudit: options.productAudit ?? 'instant',
    rejectShopIdParam: options.rejectShopIdParam ?? true,
    emptyBodySignature: options.emptyBodySignature ?? 'either',
    productStatusField: options.productStatusField ?? 'status',
    numericIds: options.numericIds ?? false,
    shippingProviders: [...(options.shippingProviders ?? TIKTOK_SANDBOX_SHIPPING_PROVIDERS)],
    deliveryOption: { id: '7129736484309362434', name: 'Standard Shipping' },
    webhookUrl: options.webhookUrl,
    financeRates: { ...TIKTOK_DEFAULT_FINANCE_RATES, ...options.financeRates },
  };
  const signedWebhooks = createSignedWebhookQueue(createWebhookDelivery(options.webhooks ?? {}));
  const calls = createCallCounter();
  const rateLimit = createRateLimitGate(clock, options.rateLimit);
  const appRateLimit = createRateLimitGate(clock, options.appRateLimit);
  let requestId = () => '';
  const faults = createFaultInjector({
    ...(options.faults?.seed === undefined ? {} : { seed: options.faults.seed }),
    ...(options.faults?.random === undefined ? {} : { random: options.faults.random }),
    errorBody: (status) => {
      const kind =
        status === 429 ? TIKTOK_SANDBOX_ERRORS.tooManyRequests : TIKTOK_SANDBOX_ERRORS.internalError;
      return { code: kind.code, message: kind.message, request_id: requestId() };
    },
  });

  let state: TikTokState = createTikTokState();
  const context: TikTokSandboxContext = {
    get state() {
      return state;
    },
    settings,
    clock,
    nowSeconds: () => Math.floor(clock.now() / 1000),
    returnDeadlines: options.returnDeadlines,
    notify(shopId, event, data, onlyAppKey) {
      const shop = state.shops.get(shopId);
      if (!shop) return;
      const appKeys =
        onlyAppKey !== undefined
          ? [onlyAppKey]
          : [...state.authorizations.values()]
              .filter((authorization) => authorization.openId === shop.openId && !authorization.revoked)
              .map((authorization) => authorization.appKey);
      for (const appKey of appKeys) {
        const app = state.apps.get(appKey);
        if (!app) continue;
        const subscription = state.webhookSubscriptions.get(subscriptionKey(appKey, shopId))?.get(event);
        const body = JSON.stringify({
          type: TIKTOK_WEBHOOK_TYPES[event],
          tts_notification_id: state.nextId('notification'),
          shop_id: shopId,
          timestamp: context.nowSeconds(),
          data,
        });
        signedWebhooks.enqueue({
          appKey,
          appSecret: app.appSecret,
          body,
          address: subscription?.address ?? app.webhookUrl ?? settings.webhookUrl,
        });
      }
    },
  };
  requestId = createRequestIds(context);

  const apiBases = list(options.apiBaseUrl, TIKTOK_API_BASE_URL);
  const authBases = list(options.authBaseUrl, TIKTOK_AUTH_BASE_URL);
  const gateway = createGateway({
    context,
    routes: TIKTOK_ROUTES,
    rateLimit,
    appRateLimit,
    calls,
    faults,
    requestId: () => requestId(),
  });
  const authHost = createAuthHost({ context, calls, faults, requestId: () => requestId() });
  const handlers: RequestHandler[] = [
    ...apiBases.map((base) => http.all(`${base}/*`, ({ request }) => gateway(request))),
    ...authBases.map((base) => http.all(`${base}/*`, ({ request }) => authHost(request))),
    documentFileHandler(() => context),
  ];

  let appCounter = 0;
  function createApp(input: Partial<TikTokSandboxApp> = {}): TikTokSandboxApp {
    appCounter += 1;
    const app: TikTokSandboxApp = {
      appKey: input.appKey ?? `6sbx${appCounter.toString().padStart(4, '0')}app`,
      appSecret: input.appSecret ?? `sandbox_app_secret_${appCounter.toString().padStart(4, '0')}`,
      serviceId: input.serviceId ?? state.nextId('service'),
      name: input.name ?? `Sandbox app ${appCounter}`,
      redirectUri: input.redirectUri ?? 'http://localhost/tiktok/callback',
      webhookUrl: input.webhookUrl,
    };
    state.apps.set(app.appKey, app);
    return copy(app);
  }
  let defaultApp = createApp(options.app);

  function firstShop(): TikTokSandboxShop {
    const shop = state.shops.values().next().value;
    if (!shop) throw new TikTokSandboxError('The sandbox has no shop yet: call addShop() first');
    return shop;
  }

  function resolveSeller(selector: TikTokSellerSelector = {}): { appKey: string; openId: string } {
    const appKey = selector.appKey ?? defaultApp.appKey;
    if (!state.apps.has(appKey)) throw new TikTokSandboxError(`No app ${appKey} in the sandbox`);
    const openId =
      selector.openId ??
      (selector.shopId !== undefined ? requireShop(context, selector.shopId) : firstShop()).openId;
    if (!state.sellers.has(openId)) throw new TikTokSandboxError(`No seller ${openId} in the sandbox`);
    return { appKey, openId };
  }

  function newWarehouse(
    shop: Pick<TikTokSandboxShop, 'region'>,
    input: Partial<Omit<TikTokSandboxWarehouse, 'address'>>,
  ) {
    const warehouse: TikTokSandboxWarehouse = {
      id: input.id ?? state.nextId('warehouse'),
      name: input.name ?? 'Sandbox warehouse',
      type: input.type ?? 'SALES_WAREHOUSE',
      subType: input.subType ?? 'DOMESTIC_WAREHOUSE',
      effectStatus: input.effectStatus ?? 'ENABLED',
      isDefault: input.isDefault ?? false,
      address: {
        region: shop.region,
        regionCode: shop.region,
        city: 'Sandbox City',
        postalCode: '00000',
        fullAddress: '1 Warehouse Road, Sandbox City',
      },
    };
    return warehouse;
  }

  function touchOrder(orderId: string): TikTokSandboxOrder {
    return requireOrder(context, orderId);
  }

  const sandbox: TikTokSandbox = {
    handlers,
    urls: { api: apiBases[0] ?? TIKTOK_API_BASE_URL, auth: authBases[0] ?? TIKTOK_AUTH_BASE_URL },
    clock,
    faults,
    webhooks: signedWebhooks.delivery,
    setRateLimit: (config) => rateLimit.configure(config),
    get app() {
      return copy(defaultApp);
    },

    createApp,

    addShop(input = {}) {
      const id = input.id ?? state.nextId('shop');
      const region = input.region ?? 'GB';
      const sellerType = input.sellerType ?? 'LOCAL';
      let openId = input.openId;
      if (openId === undefined || !state.sellers.has(openId)) {
        openId = openId ?? state.nextId('seller');
        state.sellers.set(openId, {
          openId,
          name: input.sellerName ?? `Sandbox Seller ${openId.slice(-4)}`,
          baseRegion: region,
          userType: 0,
        });
      }
      const shop: TikTokSandboxShop = {
        id,
        name: input.name ?? `Sandbox Shop ${id.slice(-4)}`,
        region,
        sellerType,
        cipher:
          input.cipher ?? `${region === 'US' ? 'TTP' : 'ROW'}_${btoa(`sbx-${id}`).replace(/[+/=]/g, '')}`,
        code: input.code ?? `${region}LC${id.slice(-6)}`,
        openId,
        currency: input.currency ?? CURRENCY_BY_REGION[region] ?? 'USD',
        warehouses: [],
        packagesCreatedOnMarkShipped:
          input.packagesCreatedOnMarkShipped ?? (sellerType === 'LOCAL' && MARK_SHIPPED_REGIONS.has(region)),
      };
      shop.warehouses.push(newWarehouse(shop, { name: 'Main warehouse', isDefault: true }));
      for (const extra of input.warehouses ?? []) shop.warehouses.push(newWarehouse(shop, extra));
      state.shops.set(shop.id, shop);
      for (const appKey of input.authorizedApps ?? [defaultApp.appKey]) {
        if (!state.apps.has(appKey)) throw new TikTokSandboxError(`No app ${appKey} in the sandbox`);
        if (!state.authorizations.has(authorizationKey(appKey, openId)))
          authorizeApp(context, appKey, openId);
      }
      return copy(shop);
    },

    addWarehouse(shopId, input = {}) {
      const shop = requireShop(context, shopId);
      const warehouse = newWarehouse(shop, input);
      if (warehouse.isDefault) for (const other of shop.warehouses) other.isDefault = false;
      shop.warehouses.push(warehouse);
      return copy(warehouse);
    },

    addProduct(input = {}) {
      const shop = input.shopId === undefined ? firstShop() : requireShop(context, input.shopId);
      const now = context.nowSeconds();
      const attributeIds = new Map<string, string>();
      const idFor = (key: string) => {
        let id = attributeIds.get(key);
        if (id === undefined) {
          id = state.nextId('attribute');
          attributeIds.set(key, id);
        }
        return id;
      };
      const skus = (input.skus ?? [{}]).map((sku, index): TikTokSandboxSku => {
        const stock = sku.stock ?? 100;
        const price = sku.price ?? '10.00';
        if (!isDecimalString(price)) {
          throw new TikTokSandboxError(`SKU price must be a decimal string like "19.99", not "${price}"`);
        }
        for (const quantity of typeof stock === 'number' ? [stock] : Object.values(stock)) {
          if (!Number.isInteger(quantity) || quantity < 0) {
            throw new TikTokSandboxError(`Stock must be a whole number from 0, not ${quantity}`);
          }
        }
        const inventory =
          typeof stock === 'number'
            ? [{ warehouseId: defaultWarehouseId(shop), quantity: stock }]
            : Object.entries(stock).map(([warehouseId, quantity]) => {
                if (!shop.warehouses.some((warehouse) => warehouse.id === warehouseId)) {
                  throw new TikTokSandboxError(`Shop ${shop.id} has no warehouse ${warehouseId}`);
                }
                return { warehouseId, quantity };
              });
        return {
          id: state.nextId('sku'),
          sellerSku: sku.sellerSku ?? `SBX-SKU-${index + 1}`,
          price: { amount: price, currency: sku.currency ?? shop.currency },
          inventory,
          salesAttributes: Object.entries(sku.salesAttributes ?? {}).map(([name, valueName]) => ({
            id: idFor(name),
            name,
            valueId: idFor(`${name}\u0000${valueName}`),
            valueName,
          })),
        };
      });
      const product: TikTokSandboxProduct = {
        id: state.nextId('product'),
        shopId: shop.id,
        title: input.title ?? 'Sandbox product',
        description: input.description ?? '<p>A product of the TikTok Shop sandbox.</p>',
        categoryId: input.categoryId ?? '601226',
        status: input.status ?? 'ACTIVATE',
        mainImages: [{ uri: 'tos-sandbox-i-seed/main' }],
        packageWeight: { value: '0.5', unit: 'KILOGRAM' },
        createTime: now,
        updateTime: now,
        skus,
      };
      state.products.set(product.id, product);
      return copy(product);
    },

    setStock(skuId, quantity, warehouseId) {
      if (!Number.isInteger(quantity) || quantity < 0) {
        throw new TikTokSandboxError(`Stock must be a whole number from 0, not ${quantity}`);
      }
      const found = findSku(context, skuId);
      if (!found) throw new TikTokSandboxError(`No SKU ${skuId} in the sandbox`);
      const where = warehouseId ?? defaultWarehouseId(requireShop(context, found.product.shopId));
      const current = found.sku.inventory.find((row) => row.warehouseId === where)?.quantity ?? 0;
      adjustStock(found.sku, where, quantity - current);
    },

    authorize(input = {}) {
      const { appKey, openId } = resolveSeller(input);
      const app = state.apps.get(appKey) as TikTokSandboxApp;
      authorizeApp(context, appKey, openId, input.scopes ?? TIKTOK_SANDBOX_SCOPES);
      const code = issueAuthCode(context, appKey, openId);
      const redirect = new URL(app.redirectUri);
      redirect.searchParams.set('code', code);
      if (input.state !== undefined) redirect.searchParams.set('state', input.state);
      return { code, openId, redirectUrl: redirect.toString() };
    },

    issueTokens(input = {}) {
      const { appKey, openId } = resolveSeller(input);
      const existing = state.authorizations.get(authorizationKey(appKey, openId));
      if (input.scopes !== undefined || !existing || existing.revoked) {
        authorizeApp(context, appKey, openId, input.scopes ?? existing?.scopes ?? TIKTOK_SANDBOX_SCOPES);
      }
      return mintTokens(context, appKey, openId);
    },

    deauthorize(input = {}) {
      const { appKey, openId } = resolveSeller(input);
      const authorization = state.authorizations.get(authorizationKey(appKey, openId));
      if (!authorization || authorization.revoked) return;
      authorization.revoked = true;
      for (const shop of state.shops.values()) {
        if (shop.openId !== openId) continue;
        context.notify(
          shop.id,
          'SELLER_DEAUTHORIZATION',
          { message: 'The seller has deauthorized the app' },
          appKey,
        );
      }
    },

    notifyAuthorizationExpiring(input) {
      const shop = requireShop(context, input.shopId);
      const days = Math.max(0, Math.ceil((input.expiresAt - context.nowSeconds()) / 86_400));
      context.notify(
        shop.id,
        'UPCOMING_AUTHORIZATION_EXPIRATION',
        { message: `The authorization expires in ${days} days`, expiration_time: String(input.expiresAt) },
        input.appKey,
      );
    },

    getShop: (shopId) => {
      const shop = state.shops.get(shopId);
      return shop && copy(shop);
    },
    listShops: () => copy([...state.shops.values()]),
    getProduct: (productId) => {
      const product = state.products.get(productId);
      return product && copy(product);
    },
    listProducts: (filter = {}) =>
      copy(
        [...state.products.values()].filter(
          (product) =>
            (filter.shopId === undefined || product.shopId === filter.shopId) &&
            (filter.status === undefined || product.status === filter.status),
        ),
      ),
    getSku: (skuId) => {
      const found = findSku(context, skuId);
      return found && copy(found.sku);
    },
    stockOf(skuId, warehouseId) {
      const found = findSku(context, skuId);
      if (!found) throw new TikTokSandboxError(`No SKU ${skuId} in the sandbox`);
      return found.sku.inventory
        .filter((row) => warehouseId === undefined || row.warehouseId === warehouseId)
        .reduce((total, row) => total + row.quantity, 0);
    },
    getOrder: (orderId) => {
      const order = state.orders.get(orderId);
      return order && copy(order);
    },
    listOrders: (filter = {}) =>
      copy(
        [...state.orders.values()].filter(
          (order) =>
            (filter.shopId === undefined || order.shopId === filter.shopId) &&
            (filter.status === undefined || order.status === filter.status),
        ),
      ),
    getPackage: (packageId) => {
      const pkg = state.packages.get(packageId);
      return pkg && copy(pkg);
    },
    listPackages: (filter = {}) =>
      copy(
        [...state.packages.values()].filter(
          (pkg) => filter.orderId === undefined || pkg.orderId === filter.orderId,
        ),
      ),
    returns: createReturnDrivers(context),
    listCancellations: (filter = {}) =>
      copy(
        [...state.cancellations.values()].filter(
          (entry) => filter.orderId === undefined || entry.orderId === filter.orderId,
        ),
      ),
    webhookSubscriptions: (shopId, appKey) =>
      copy([
        ...(state.webhookSubscriptions.get(subscriptionKey(appKey ?? defaultApp.appKey, shopId))?.values() ??
          []),
      ]),

    placeOrder: (input) => copy(placeOrder(context, input)),
    payOrder(orderId) {
      const order = touchOrder(orderId);
      payOrder(context, order);
      return copy(order);
    },
    releaseHold(orderId) {
      const order = touchOrder(orderId);
      releaseHold(context, order);
      return copy(order);
    },
    cancelOrder(orderId, input = {}) {
      const order = touchOrder(orderId);
      cancelOrderTransition(
        context,
        order,
        input.initiator ?? 'BUYER',
        input.reason ?? 'Buyer changed their mind',
      );
      return copy(order);
    },
    requestCancellation: (orderId, input = {}) =>
      copy(requestCancellation(context, touchOrder(orderId), input.reason ?? 'No longer needed')),
    shipOrder(orderId, input = {}) {
      const order = touchOrder(orderId);
      const providerId = input.shippingProviderId ?? settings.shippingProviders[0]?.id ?? '';
      const trackingNumber = input.trackingNumber ?? `SBX${order.id.slice(-10)}`;
      if (order.status === 'AWAITING_SHIPMENT' || order.status === 'PARTIALLY_SHIPPING') {
        for (const packageId of [...order.packageIds]) {
          const pkg = state.packages.get(packageId);
          if (pkg?.status !== 'TO_FULFILL' || pkg.lineItemIds.length === 0) continue;
          shipPackage(
            context,
            pkg,
            pkg.shippingType === 'SELLER'
              ? { selfShipment: { shippingProviderId: providerId, trackingNumber } }
              : {},
          );
        }
        const loose = order.lineItems.filter(
          (item) => item.packageStatus === 'TO_FULFILL' && !item.packageId,
        );
        if (loose.length > 0) {
          markShipped(context, order, {
            lineItemIds: loose.map((item) => item.id),
            shippingProviderId: providerId,
            trackingNumber,
          });
        }
      }
      if (order.status === 'AWAITING_COLLECTION') collectOrder(context, order);
      if (order.status !== 'IN_TRANSIT') {
        throw new TikTokSandboxError(`Order ${order.id} is ${order.status}; only paid orders can be shipped`);
      }
      return copy(order);
    },
    deliverOrder(orderId) {
      const order = touchOrder(orderId);
      deliverOrder(context, order);
      return copy(order);
    },
    completeOrder(orderId) {
      const order = touchOrder(orderId);
      completeOrder(context, order);
      recordCompletion(order, context.nowSeconds());
      return copy(order);
    },
    chargeFinanceFee(orderId, fee) {
      addExtraFee(touchOrder(orderId), fee);
    },
    updateRecipientAddress(orderId, address) {
      const order = touchOrder(orderId);
      order.recipientAddress = { ...order.recipientAddress, ...address };
      order.updateTime = context.nowSeconds();
      context.notify(order.shopId, 'RECIPIENT_ADDRESS_UPDATE', {
        order_id: order.id,
        update_time: order.updateTime,
      });
      return copy(order);
    },
    sendMessage(input) {
      const order = input.orderId === undefined ? undefined : touchOrder(input.orderId);
      const shop = order
        ? requireShop(context, order.shopId)
        : input.shopId
          ? requireShop(context, input.shopId)
          : firstShop();
      const conversation = conversationWith(context, shop.id, order?.userId ?? state.nextId('buyer'));
      const content = JSON.stringify({ content: input.content });
      const message = addChatMessage(context, conversation, { role: 'BUYER', type: 'TEXT', content });
      context.notify(shop.id, 'NEW_MESSAGE', {
        conversation_id: conversation.id,
        message_id: message.id,
        type: 'TEXT',
        content,
        create_time: message.createTime,
        sender: { im_user_id: conversation.buyerImUserId, role: 'BUYER' },
        ...(order ? { order_id: order.id } : {}),
      });
      return { conversationId: conversation.id, messageId: message.id };
    },
    setProductStatus(productId, status, input = {}) {
      const product = state.products.get(productId);
      if (!product) throw new TikTokSandboxError(`No product ${productId} in the sandbox`);
      setProductStatus(context, product, status, input.reason === undefined ? {} : { reason: input.reason });
      return copy(product);
    },

    reset() {
      const apps = [...state.apps.values()];
      state = createTikTokState();
      for (const app of apps) state.apps.set(app.appKey, app);
      defaultApp = copy(apps.find((app) => app.appKey === defaultApp.appKey) ?? defaultApp);
      calls.reset();
      faults.clear();
      signedWebhooks.delivery.clear();
      rateLimit.configure(options.rateLimit);
      appRateLimit.configure(options.appRateLimit);
    },
    stats: () => calls.snapshot(),
  };
  return sandbox;
}
