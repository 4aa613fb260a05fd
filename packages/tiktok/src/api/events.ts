import { type FieldIssue, ValidationError } from '@mlh/core';
import { TIKTOK } from '../mappers';
import { TikTokEmptyData, type TikTokShopWebhook, TikTokShopWebhooksData } from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/**
 * The Event API (`/event/202309/webhooks`): where one shop's webhooks of each event type go. It is
 * per shop (signed with the shop's `shop_cipher`; scope `seller.authorization.info`), one address
 * per event type, and a `PUT` replaces the previous one. Partner Center also holds per-app URLs;
 * which of the two wins when both are set is not documented.
 */

/** The event types the Event API accepts (reference tiktok-shop §9.1); `REVERSE_STATUS_UPDATE` is legacy. */
export const TIKTOK_EVENT_API_TYPES = Object.freeze([
  'ORDER_STATUS_CHANGE',
  'RECIPIENT_ADDRESS_UPDATE',
  'PACKAGE_UPDATE',
  'PRODUCT_STATUS_CHANGE',
  'SELLER_DEAUTHORIZATION',
  'UPCOMING_AUTHORIZATION_EXPIRATION',
  'CANCELLATION_STATUS_CHANGE',
  'RETURN_STATUS_CHANGE',
  'NEW_CONVERSATION',
  'NEW_MESSAGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_CREATION',
  'PRODUCT_CATEGORY_CHANGE',
  'NEW_MESSAGE_LISTENER',
  'INVOICE_STATUS_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
  'REVERSE_STATUS_UPDATE',
] as const);

/** An event type of {@link TIKTOK_EVENT_API_TYPES}, or one TikTok added since (sent as given). */
export type TikTokEventApiType = (typeof TIKTOK_EVENT_API_TYPES)[number] | (string & {});

/** Longest webhook address the Event API takes. */
export const TIKTOK_WEBHOOK_ADDRESS_MAX = 255;

function eventTypeIssues(eventType: unknown, path: string): FieldIssue[] {
  return typeof eventType === 'string' && /^[A-Z][A-Z0-9_]*$/.test(eventType)
    ? []
    : [{ path, message: 'must be an event type such as ORDER_STATUS_CHANGE' }];
}

function addressIssues(address: unknown, path: string): FieldIssue[] {
  if (typeof address !== 'string' || !URL.canParse(address))
    return [{ path, message: 'must be an absolute URL' }];
  const issues: FieldIssue[] = [];
  if (new URL(address).protocol !== 'https:') issues.push({ path, message: 'must be https' });
  if (address.length > TIKTOK_WEBHOOK_ADDRESS_MAX) {
    issues.push({ path, message: `at most ${TIKTOK_WEBHOOK_ADDRESS_MAX} characters` });
  }
  return issues;
}

function assertValid(what: string, issues: FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`Invalid ${what}`, issues, { marketplace: TIKTOK });
}

/** The shop's subscriptions: `GET /event/202309/webhooks`. */
export async function getShopWebhooks(context: TikTokCallContext): Promise<TikTokShopWebhook[]> {
  const { data } = await callTikTok(
    context,
    { method: 'GET', path: '/event/202309/webhooks', idempotent: true, operation: 'event.webhooks.get' },
    TikTokShopWebhooksData,
    'event.webhooks.get',
  );
  return data.webhooks;
}

/**
 * Sends the shop's `eventType` webhooks to `address` (https, at most 255 characters):
 * `PUT /event/202309/webhooks`, which replaces the address the type had.
 */
export async function updateShopWebhook(
  context: TikTokCallContext,
  eventType: TikTokEventApiType,
  address: string,
): Promise<void> {
  assertValid('webhook subscription', [
    ...eventTypeIssues(eventType, 'eventType'),
    ...addressIssues(address, 'address'),
  ]);
  await callTikTok(
    context,
    {
      method: 'PUT',
      path: '/event/202309/webhooks',
      body: { json: { event_type: eventType, address } },
      // Setting the same address again leaves the same subscription.
      idempotent: true,
      operation: 'event.webhooks.update',
    },
    TikTokEmptyData,
    'event.webhooks.update',
  );
}

/** Stops the shop's `eventType` webhooks: `DELETE /event/202309/webhooks` (succeeds when none was set). */
export async function deleteShopWebhook(
  context: TikTokCallContext,
  eventType: TikTokEventApiType,
): Promise<void> {
  assertValid('webhook deletion', eventTypeIssues(eventType, 'eventType'));
  await callTikTok(
    context,
    {
      method: 'DELETE',
      path: '/event/202309/webhooks',
      body: { json: { event_type: eventType } },
      idempotent: true,
      operation: 'event.webhooks.delete',
    },
    TikTokEmptyData,
    'event.webhooks.delete',
  );
}

/** Options of {@link syncShopWebhooks}. */
export interface SyncShopWebhooksOptions {
  /**
   * Event types this app owns: those subscribed but absent from `desired` are deleted. Others are
   * left alone (a seller may run several apps). Default none.
   */
  prune?: readonly TikTokEventApiType[] | undefined;
}

/** What {@link syncShopWebhooks} changed. */
export interface SyncShopWebhooksResult {
  /** Event types whose address was set or changed. */
  updated: string[];
  /** Event types already pointing at the desired address. */
  unchanged: string[];
  deleted: string[];
}

/**
 * Makes the shop's subscriptions match `desired` (`{ ORDER_STATUS_CHANGE: 'https://…' }`): reads
 * them, `PUT`s what is missing or different, `DELETE`s the `prune` types no longer wanted. Safe to
 * run on every authorization or token refresh. Every entry is validated before any call.
 *
 * @example
 * await syncShopWebhooks(context, {
 *   ORDER_STATUS_CHANGE: 'https://app.example.com/webhooks/tiktok',
 *   PACKAGE_UPDATE: 'https://app.example.com/webhooks/tiktok',
 * }, { prune: ['PRODUCT_STATUS_CHANGE'] });
 */
export async function syncShopWebhooks(
  context: TikTokCallContext,
  desired: Readonly<Partial<Record<TikTokEventApiType, string>>>,
  options: SyncShopWebhooksOptions = {},
): Promise<SyncShopWebhooksResult> {
  const wanted = Object.entries(desired).filter((entry): entry is [string, string] => entry[1] !== undefined);
  assertValid('webhook subscriptions', [
    ...wanted.flatMap(([type, address]) => [
      ...eventTypeIssues(type, `desired.${type}`),
      ...addressIssues(address, `desired.${type}`),
    ]),
    ...(options.prune ?? []).flatMap((type, index) => eventTypeIssues(type, `prune.${index}`)),
  ]);
  const current = new Map((await getShopWebhooks(context)).map((hook) => [hook.event_type, hook.address]));
  const result: SyncShopWebhooksResult = { updated: [], unchanged: [], deleted: [] };
  for (const [type, address] of wanted) {
    if (current.get(type) === address) {
      result.unchanged.push(type);
      continue;
    }
    await updateShopWebhook(context, type, address);
    result.updated.push(type);
  }
  for (const type of options.prune ?? []) {
    if (desired[type] !== undefined || !current.has(type)) continue;
    await deleteShopWebhook(context, type);
    result.deleted.push(type);
  }
  return result;
}
