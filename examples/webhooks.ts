/**
 * One webhook endpoint for Mercado Livre, Shopee and TikTok Shop as a Fetch handler
 * (`Request` in, `Response` out): verify → parse → dedupe → emit, then answer at once.
 * The default export is what Cloudflare Workers, Bun and Deno serve:
 *
 *   bun run webhooks.ts            (Bun.serve uses the default export; PORT, default 3000)
 *   deno serve --allow-env webhooks.ts   (--port, default 8000)
 *   wrangler dev webhooks.ts       (the variables below as Worker vars/secrets)
 *
 * Build the packages first (`pnpm build` at the root): Bun, Deno and Wrangler load `@mlh/*` from
 * their `dist/`. scripts/runtime-smoke.mjs serves this file with each of them.
 *
 * Routes: POST /webhooks/meli, /webhooks/shopee, /webhooks/tiktok. webhook-server.ts mounts the
 * same handler on Node's `http`. This file imports no Node module.
 *
 * Variables: MELI_CLIENT_ID (+ MELI_NOTIFICATION_SECRET if your callback URL carries ?secret=),
 * SHOPEE_PARTNER_KEY (+ SHOPEE_PUSH_KEY) with MLH_PUBLIC_URL (the origin registered in the Console:
 * Shopee signs the callback URL), TIKTOK_APP_KEY and TIKTOK_APP_SECRET. A marketplace whose
 * variables are missing is not served (404).
 */
import { createWebhookHandler, type MlhEvent, type WebhookHandler, type WebhookSource } from '@mlh/core';
import { meliWebhookSource } from '@mlh/meli';
import { shopeeWebhookSource } from '@mlh/shopee';
import { tiktokWebhookSource } from '@mlh/tiktok';

/** The variables the endpoint reads (a Worker's `env`, or the process environment). */
export type WebhookEnv = Readonly<Record<string, string | undefined>>;

/** What to do with each verified, deduplicated event: enqueue it, do not work here. */
export type OnWebhookEvent = (event: MlhEvent) => void;

const logEvent: OnWebhookEvent = (event) =>
  console.log(`webhook ${event.marketplace} ${event.type} ${event.resourceId} (account ${event.accountId})`);

/** The verifiers of the marketplaces configured in `env`, keyed by their route name. */
export function webhookSources(env: WebhookEnv): Record<string, WebhookSource> {
  const sources: Record<string, WebhookSource> = {};
  if (env.MELI_CLIENT_ID) {
    sources.meli = meliWebhookSource({
      applicationId: env.MELI_CLIENT_ID,
      ...(env.MELI_NOTIFICATION_SECRET ? { secret: env.MELI_NOTIFICATION_SECRET } : {}),
    });
  }
  if (env.SHOPEE_PARTNER_KEY && env.MLH_PUBLIC_URL) {
    sources.shopee = shopeeWebhookSource({
      // Exactly as registered in the Shopee Console: pushes are signed over this URL.
      callbackUrl: `${env.MLH_PUBLIC_URL.replace(/\/+$/, '')}/webhooks/shopee`,
      partnerKeys: [env.SHOPEE_PUSH_KEY, env.SHOPEE_PARTNER_KEY].filter((key): key is string => Boolean(key)),
    });
  }
  if (env.TIKTOK_APP_KEY && env.TIKTOK_APP_SECRET) {
    sources.tiktok = tiktokWebhookSource({ appKey: env.TIKTOK_APP_KEY, appSecrets: [env.TIKTOK_APP_SECRET] });
  }
  return sources;
}

/**
 * The webhook handler for the three marketplaces. Redeliveries are dropped (in memory here; pass
 * `eventClaimStore(syncStore)` from `@mlh/sync` as `dedupe` to share that across processes).
 *
 * @example
 * const webhooks = createWebhooks(process.env, (event) => queue.add('sync-order', event));
 * const response = await webhooks.handle(request);
 */
export function createWebhooks(env: WebhookEnv, onEvent: OnWebhookEvent = logEvent): WebhookHandler {
  const webhooks = createWebhookHandler({ sources: webhookSources(env) });
  // Listeners run before the response goes out: keep them quick (enqueue, then return).
  webhooks.events.on('event', onEvent);
  webhooks.events.on('verificationFailed', ({ marketplace, reason, status }) =>
    console.warn(`webhook refused (${status}): ${marketplace ?? 'unknown route'} ${reason}`),
  );
  return webhooks;
}

const handlers = new WeakMap<object, WebhookHandler>();

/**
 * The variables of one call. Each runtime passes something else after the request: Workers
 * `(request, env, ctx)`, Bun's `Bun.serve` the server, `deno serve` the connection info. Only a
 * Worker's `env` (recognized by the `ctx` that comes with it) or a plain record of strings (a
 * direct call, as in the tests) holds variables; otherwise they are the process environment.
 */
export function variablesOf(second?: unknown, third?: unknown): WebhookEnv {
  if (isExecutionContext(third) && typeof second === 'object' && second !== null) return second as WebhookEnv;
  if (isStringRecord(second)) return second;
  return (globalThis as { process?: { env: WebhookEnv } }).process?.env ?? {};
}

function isExecutionContext(value: unknown): boolean {
  return typeof (value as { waitUntil?: unknown } | undefined)?.waitUntil === 'function';
}

function isStringRecord(value: unknown): value is WebhookEnv {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  return Object.values(value).every((entry) => entry === undefined || typeof entry === 'string');
}

/**
 * Workers, Bun and Deno entry. `fetch(request, env, ctx)` on Workers reads the Worker's vars;
 * `bun run webhooks.ts` and `deno serve --allow-env webhooks.ts` read the process environment
 * (their second argument is the server or the connection info, not variables).
 */
export default {
  fetch(request: Request, second?: unknown, third?: unknown): Promise<Response> {
    const variables = variablesOf(second, third);
    let webhooks = handlers.get(variables);
    if (webhooks === undefined) {
      webhooks = createWebhooks(variables);
      handlers.set(variables, webhooks);
    }
    return webhooks.handle(request);
  },
};
