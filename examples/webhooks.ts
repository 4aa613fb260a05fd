/**
 * One webhook endpoint for Mercado Livre, Shopee and TikTok Shop as a Fetch handler
 * (`Request` in, `Response` out): verify → parse → dedupe → emit, then answer at once.
 * The default export is what Cloudflare Workers, Bun and Deno serve:
 *
 *   bun run webhooks.ts            (Bun.serve uses the default export)
 *   deno serve --allow-env webhooks.ts
 *   wrangler dev webhooks.ts       (the variables below as Worker vars/secrets)
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

const handlers = new WeakMap<WebhookEnv, WebhookHandler>();

/** Workers, Bun and Deno entry: `fetch(request, env)` (Workers pass `env`; elsewhere the process environment). */
export default {
  fetch(request: Request, env?: WebhookEnv): Promise<Response> {
    const variables = env ?? (globalThis as { process?: { env: WebhookEnv } }).process?.env ?? {};
    let webhooks = handlers.get(variables);
    if (webhooks === undefined) {
      webhooks = createWebhooks(variables);
      handlers.set(variables, webhooks);
    }
    return webhooks.handle(request);
  },
};
