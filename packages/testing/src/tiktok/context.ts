import type { SandboxClock } from '../shared/clock';
import type { TikTokFinanceRates } from './routes/finance';
import type { TikTokSandboxShippingProvider, TikTokState } from './state';
import type { TikTokWebhookEventName } from './webhooks';

/** How the sandbox behaves where TikTok's behaviour is configurable or uncertain. */
export interface TikTokSandboxSettings {
  /** How far (either way) a request `timestamp` may be from the sandbox clock. */
  timestampToleranceSeconds: number;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  authCodeLifetimeSeconds: number;
  /** `rotate`: each refresh returns a new refresh token and the old one is refused; `reuse`: the same one comes back. */
  refreshTokenRotation: 'rotate' | 'reuse';
  /** `instant`: new and edited products pass audit at once (`PENDING` → `ACTIVATE`); `manual`: they stay `PENDING`. */
  productAudit: 'instant' | 'manual';
  /** Refuse a legacy `shop_id` query parameter on 202309+ paths (36009004). */
  rejectShopIdParam: boolean;
  /**
   * Which signature a JSON body of `{}` may carry (reference §3.2, server behaviour unknown):
   * `either` (default) accepts both readings; `bytes` only one over the bytes sent (Go / Java
   * samples); `skipped` only one without the body (the official Node sample skips an empty object).
   */
  emptyBodySignature: TikTokEmptyBodySignature;
  /** The field Get Product names the status with: `status`, `product_status`, or neither (`omitted`). */
  productStatusField: TikTokProductStatusField;
  /** Write ids in API answers as bare JSON numbers instead of strings. */
  numericIds: boolean;
  shippingProviders: TikTokSandboxShippingProvider[];
  deliveryOption: { id: string; name: string };
  /** Address used when neither the shop's Event API subscription nor the app names one. */
  webhookUrl?: string | undefined;
  /** Fee rates of settlements (`/finance/…`). */
  financeRates: TikTokFinanceRates;
}

/** How the sandbox checks the signature of a request whose JSON body is `{}`. */
export type TikTokEmptyBodySignature = 'either' | 'bytes' | 'skipped';

/** Where Get Product puts the product's status: real responses use `status` or `product_status`. */
export type TikTokProductStatusField = 'status' | 'product_status' | 'omitted';

/** What routes and lifecycle functions share: the state, the settings, the clock and the webhook outlet. */
export interface TikTokSandboxContext {
  state: TikTokState;
  settings: TikTokSandboxSettings;
  clock: SandboxClock;
  /** The sandbox clock in Unix seconds. */
  nowSeconds(): number;
  /**
   * Queues a webhook of `event` for a shop, to every app the shop's seller has authorized
   * (or only to `onlyAppKey`).
   */
  notify(
    shopId: string,
    event: TikTokWebhookEventName,
    data: Record<string, unknown>,
    onlyAppKey?: string,
  ): void;
}
