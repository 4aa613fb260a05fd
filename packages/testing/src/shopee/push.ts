import { hmacSha256Hex } from '@mlh/core';
import {
  createWebhookDelivery,
  type DeliveryOptions,
  type WebhookDelivery,
  type WebhookTarget,
} from '../shared/webhooks';
import type { PushQueue, ShopeeContext } from './context';
import { nowSeconds } from './context';
import { type JsonWritable, stringifyJson } from './json';
import { activeGrant, type PartnerRecord } from './state';

/** Options of {@link makeShopeePushRequest}. */
export interface ShopeePushRequestOptions {
  /** The callback URL exactly as registered in the Console; it is part of the signature. */
  url: string;
  /** The key that signs pushes: the partner key, or the Console's "Live Push Partner Key". */
  partnerKey: string;
  /**
   * The push body: raw text (signed as is), or an object serialized once to compact JSON
   * (`bigint` values are written as exact integers).
   */
  body: string | { readonly [key: string]: unknown };
}

/**
 * The `Authorization` header of a Shopee push: lowercase hex HMAC-SHA256 of
 * `url + "|" + rawBody` under the push key (reference §8.3).
 */
export function shopeePushSignature(url: string, rawBody: string, partnerKey: string): Promise<string> {
  return hmacSha256Hex(partnerKey, `${url}|${rawBody}`);
}

/**
 * Builds a Shopee push request exactly as Shopee sends it (POST, JSON body, bare-hex
 * `Authorization`), for testing your own push endpoint.
 *
 * @example
 * const request = await makeShopeePushRequest({
 *   url: 'https://app.example.com/shopee/push',
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   body: { data: { items: [], ordersn: '2401019ABCDEFG', status: 'READY_TO_SHIP', update_time: 1700000000 },
 *           shop_id: 600000, code: 3, timestamp: 1700000001 },
 * });
 * const response = await app.fetch(request);
 */
export async function makeShopeePushRequest(options: ShopeePushRequestOptions): Promise<Request> {
  const raw = typeof options.body === 'string' ? options.body : stringifyJson(options.body as JsonWritable);
  const signature = await shopeePushSignature(options.url, raw, options.partnerKey);
  return new Request(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signature },
    body: raw,
  });
}

const DEFAULT_CALLBACK_URL = 'http://localhost/webhooks';

/**
 * When Shopee warns about and suspends a push subscription (reference shopee §8.6): over the last 6
 * hours, more than 600 pushes sent and a success rate below 70 % (Warning) or 30 % (Suspended).
 */
export const SHOPEE_PUSH_HEALTH = Object.freeze({
  windowSeconds: 6 * 60 * 60,
  minPushes: 600,
  warningBelow: 0.7,
  suspendBelow: 0.3,
});

/**
 * Records one delivery attempt and moves the subscription's health: Normal ⇄ Warning by the success
 * rate, → Suspended below 30 %. A suspension holds until the app sets its callback URL again.
 */
export function recordPushAttempt(partner: PartnerRecord, ok: boolean, now: number): void {
  const attempts = partner.pushAttempts;
  attempts.push({ at: now, ok });
  const from = now - SHOPEE_PUSH_HEALTH.windowSeconds;
  let old = 0;
  while (old < attempts.length && (attempts[old]?.at ?? now) <= from) old += 1;
  if (old > 0) attempts.splice(0, old);
  if (partner.livePushStatus === 'Suspended') return;
  const rate = attempts.filter((attempt) => attempt.ok).length / attempts.length;
  const busy = attempts.length > SHOPEE_PUSH_HEALTH.minPushes;
  if (busy && rate < SHOPEE_PUSH_HEALTH.suspendBelow) {
    partner.livePushStatus = 'Suspended';
    partner.suspendedTime = now;
  } else {
    partner.livePushStatus = busy && rate < SHOPEE_PUSH_HEALTH.warningBelow ? 'Warning' : 'Normal';
  }
}

interface PendingPush {
  partner: PartnerRecord;
  body: string;
  /** Signatures per callback URL, computed before the delivery builds the request. */
  signatures: Map<string, string>;
}

/**
 * The sandbox's push pipeline: bodies are serialized once, signed over the callback URL with
 * WebCrypto before they reach the shared delivery (whose builders are synchronous), and
 * re-signed on flush if the delivery's URL changed in between.
 */
export function createShopeePushes(
  context: Pick<ShopeeContext, 'state' | 'clock'>,
  options: DeliveryOptions & { target?: WebhookTarget } = {},
): { queue: PushQueue; webhooks: WebhookDelivery } {
  const inner = createWebhookDelivery(options);
  let target = options.target;
  let callbackUrl = options.callbackUrl;
  const pending = new Set<PendingPush>();
  let chain: Promise<void> = Promise.resolve();

  const deliveryUrl = (): string =>
    typeof target === 'string' ? target : (callbackUrl ?? DEFAULT_CALLBACK_URL);
  const urlFor = (push: PendingPush, url: string): string => push.partner.callbackUrl ?? url;

  async function ensureSigned(push: PendingPush, url: string): Promise<void> {
    const signedUrl = urlFor(push, url);
    if (!push.signatures.has(signedUrl)) {
      push.signatures.set(signedUrl, await shopeePushSignature(signedUrl, push.body, push.partner.pushKey));
    }
  }

  /** A push that failed its last attempt joins the partner's lost list (reference §8.6). */
  function recordLost(partner: PartnerRecord, code: number, shopId: number | undefined, body: string): void {
    partner.lostPushes.push({
      messageId: partner.lostPushes.length + 1,
      shopId,
      code,
      lostAt: nowSeconds(context),
      body,
      consumed: false,
    });
  }

  function enqueue(partner: PartnerRecord, code: number, fields: { [key: string]: JsonWritable }): void {
    if (target === undefined || partner.pushCodesOff.has(code)) return;
    // A suspended subscription sends nothing, and what it missed is not re-sent (reference §8.6).
    if (partner.livePushStatus === 'Suspended') return;
    const body = stringifyJson(fields);
    const shopId = typeof fields.shop_id === 'number' ? fields.shop_id : undefined;
    const push: PendingPush = { partner, body, signatures: new Map() };
    chain = chain.then(async () => {
      await ensureSigned(push, deliveryUrl());
      pending.add(push);
      inner.send(
        ({ url }) => {
          const signedUrl = urlFor(push, url);
          const signature = push.signatures.get(signedUrl) ?? [...push.signatures.values()][0] ?? '';
          return new Request(signedUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: signature },
            body: push.body,
          });
        },
        {
          onGiveUp: () => {
            pending.delete(push);
            recordLost(partner, code, shopId, push.body);
          },
          onAttempt: (record) => recordPushAttempt(partner, record.ok, nowSeconds(context)),
        },
      );
    });
  }

  const queue: PushQueue = {
    forShop(shopId, code, data, extra = {}) {
      const now = nowSeconds(context);
      for (const partner of context.state.partners.values()) {
        if (partner.blockedShopIds.has(shopId)) continue;
        if (!activeGrant(context.state, partner.partnerId, `shop:${shopId}`, now)) continue;
        const fields: { [key: string]: JsonWritable } =
          extra.msgId === undefined ? {} : { msg_id: extra.msgId };
        enqueue(partner, code, { ...fields, data, shop_id: shopId, code, timestamp: now });
      }
    },
    forPartner(partnerId, code, data) {
      const partner = context.state.partners.get(partnerId);
      if (partner) enqueue(partner, code, { data, code, timestamp: nowSeconds(context) });
    },
    settled: () => chain,
  };

  const webhooks: WebhookDelivery = {
    send: (build, sendOptions) => inner.send(build, sendOptions),
    async flush() {
      await chain;
      const url = deliveryUrl();
      await Promise.all([...pending].map((push) => ensureSigned(push, url)));
      const statuses = await inner.flush();
      if (inner.pending === 0) pending.clear();
      return statuses;
    },
    configure(next) {
      if ('target' in next) target = next.target;
      if (next.callbackUrl !== undefined) callbackUrl = next.callbackUrl;
      inner.configure(next);
    },
    get log() {
      return inner.log;
    },
    get pending() {
      return inner.pending;
    },
    clear() {
      pending.clear();
      inner.clear();
    },
  };
  return { queue, webhooks };
}
