import type { EventEmitter } from 'eventemitter3';
import { createIsolatedEmitter } from '../emitter';
import type { MarketplaceId } from '../errors';
import { redactUrl, silentLogger } from '../redact';
import type { Logger } from '../transport/types';
import { concatBytes } from './crypto';
import { createMemoryDedupeStore, syncClaimOf, type WebhookDedupeStore } from './dedupe';
import type { MlhEvent, MlhEventType, WebhookFailureReason, WebhookSource } from './events';

/** A webhook that was refused, for monitoring (bad signatures in a burst mean a leaked URL or a wrong secret). */
export interface WebhookFailure {
  /** The marketplace the request was routed to, when it could be. */
  marketplace: MarketplaceId | undefined;
  reason: WebhookFailureReason;
  detail?: string | undefined;
  /** The HTTP status answered. */
  status: number;
  /** The request URL, credentials masked. */
  url: string;
}

/** An unexpected failure inside the handler (a verifier that threw, a dedupe store that is down). */
export interface WebhookHandlerError {
  marketplace: MarketplaceId | undefined;
  stage: 'verify' | 'dedupe';
  error: unknown;
}

/**
 * The typed events of a webhook handler: each normalized event under its own type
 * (`order.created`, ...), every one also under `event`; redeliveries under `duplicate`;
 * refusals under `verificationFailed`; internal failures under `handlerError`.
 */
export type WebhookHandlerEvents = { [K in MlhEventType]: [MlhEvent<K>] } & {
  event: [MlhEvent];
  duplicate: [MlhEvent];
  verificationFailed: [WebhookFailure];
  handlerError: [WebhookHandlerError];
};

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** The marketplaces to accept, as a list (routed by `marketplace`) or by route name. */
  sources: readonly WebhookSource[] | Readonly<Record<string, WebhookSource>>;
  /**
   * Where accepted dedupe keys are remembered; default in memory, for one process only (use a
   * shared store such as `@mlh/fleet`'s Redis one with several). `false` turns deduplication off.
   */
  dedupe?: WebhookDedupeStore | false;
  /** How long a dedupe key is remembered. Default 72 hours (longer than the marketplaces' redelivery windows). */
  dedupeTtlMs?: number;
  /** Largest body accepted; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Picks the source of a request. Default: the `marketplace` query parameter, the
   * `x-mlh-marketplace` header, or the last path segment (`/webhooks/shopee`) that names a source;
   * with a single source, that source.
   */
  route?: (request: Request) => MarketplaceId | undefined;
  logger?: Logger;
}

/** What {@link createWebhookHandler} returns. */
export interface WebhookHandler {
  /** Answers one webhook request: verify → parse → dedupe → emit, with a quick response. */
  handle(request: Request): Promise<Response>;
  readonly events: EventEmitter<WebhookHandlerEvents>;
  /** The body size limit, for adapters of other server APIs. */
  readonly maxBodyBytes: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_DEDUPE_TTL_MS = 72 * 3_600_000;

function failureStatus(reason: WebhookFailureReason): number {
  switch (reason) {
    case 'malformed_body':
    case 'invalid_encoding':
      return 400;
    case 'body_too_large':
      return 413;
    case 'unknown_marketplace':
      return 404;
    default:
      return 401;
  }
}

function errorResponse(status: number, error: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Reads at most `limit` bytes of the body; undefined when it is larger. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  // A small body usually arrives in one chunk: it is the body, no copy needed.
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks);
}

/**
 * Creates a framework-agnostic webhook endpoint: give it a Fetch `Request` (the raw body
 * untouched), get a `Response` back quickly, and listen for typed events.
 *
 * | outcome | status |
 * | --- | --- |
 * | accepted, or a duplicate | the source's `acknowledge()`, default 204 |
 * | signature missing/bad, stale, wrong application or URL | 401 |
 * | malformed body | 400 |
 * | body over `maxBodyBytes` | 413 |
 * | no source for the route | 404 |
 * | not a POST | 405 |
 * | an unknown topic | acknowledged (so it is not redelivered) and reported as `verificationFailed` |
 * | dedupe store failing | 503 (the marketplace redelivers later) |
 *
 * A delivery whose verifier returns several `events` (one per account it names) emits each one,
 * deduplicated on its own key.
 *
 * Listeners run before the response is returned; a listener that throws or rejects is
 * reported to the logger and never changes the response. Keep them quick: enqueue the work.
 *
 * @example
 * const webhooks = createWebhookHandler({ sources: [meliWebhookSource({ applicationId }), shopeeWebhookSource({ ... })] });
 * webhooks.events.on('order.created', (event) => queue.add('sync-order', event));
 * export default { fetch: (request: Request) => webhooks.handle(request) }; // /webhooks/meli, /webhooks/shopee
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const logger = options.logger ?? silentLogger;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const dedupe = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryDedupeStore());
  // The memory store answers at once: called directly, a delivery costs no promise for it.
  const claimNow = dedupe ? syncClaimOf(dedupe) : undefined;
  // Debug lines build a fields object per delivery; with the default silent logger, none is built.
  const debug = logger === silentLogger ? undefined : logger;
  const sources = new Map<string, WebhookSource>(
    Array.isArray(options.sources)
      ? (options.sources as readonly WebhookSource[]).map((source) => [source.marketplace, source])
      : Object.entries(options.sources as Record<string, WebhookSource>),
  );
  const onlyRoute = sources.size === 1 ? [...sources.keys()][0] : undefined;
  const sourceFor = (routed: MarketplaceId | undefined): WebhookSource | undefined =>
    routed === undefined
      ? undefined
      : (sources.get(routed) ?? [...sources.values()].find((source) => source.marketplace === routed));
  const events = createIsolatedEmitter<WebhookHandlerEvents>((error, event) => {
    logger.error('webhook event listener failed', {
      event: String(event),
      error: error instanceof Error ? error.message : String(error),
    });
  });

  const route =
    options.route ??
    ((request: Request): MarketplaceId | undefined => {
      // One source: every candidate below either names it or names nothing, so it is the answer.
      if (onlyRoute !== undefined) return onlyRoute;
      const url = new URL(request.url);
      const lastSegment = url.pathname.split('/').filter(Boolean).pop();
      const candidates = [
        url.searchParams.get('marketplace'),
        request.headers.get('x-mlh-marketplace'),
        lastSegment,
      ];
      return candidates.find((candidate) => candidate && sources.has(candidate)) ?? onlyRoute;
    });

  const acknowledge = (source: WebhookSource): Response =>
    source.acknowledge?.() ?? new Response(null, { status: 204 });

  const refuse = (
    request: Request,
    marketplace: MarketplaceId | undefined,
    reason: WebhookFailureReason,
    detail?: string,
    response?: Response,
  ): Response => {
    const status = response?.status ?? failureStatus(reason);
    const failure: WebhookFailure = { marketplace, reason, detail, status, url: redactUrl(request.url) };
    logger.warn(`webhook refused: ${reason}`, { marketplace, status, url: failure.url });
    events.emit('verificationFailed', failure);
    return response ?? errorResponse(status, reason);
  };

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return errorResponse(405, 'method_not_allowed', { allow: 'POST' });

    let routed: MarketplaceId | undefined;
    try {
      routed = route(request);
    } catch {
      routed = undefined;
    }
    const source = sourceFor(routed);
    if (!source) return refuse(request, routed, 'unknown_marketplace');
    const marketplace = source.marketplace;

    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      return refuse(request, marketplace, 'body_too_large', `content-length ${declared} > ${maxBodyBytes}`);
    }
    let body: Uint8Array | undefined;
    try {
      body = await readLimited(request, maxBodyBytes);
    } catch {
      return refuse(request, marketplace, 'malformed_body', 'the body could not be read');
    }
    if (!body) return refuse(request, marketplace, 'body_too_large', `more than ${maxBodyBytes} bytes`);

    let result: Awaited<ReturnType<WebhookSource['verify']>>;
    try {
      result = await source.verify({ body, headers: request.headers, url: request.url });
    } catch (error) {
      logger.error('webhook verifier threw', {
        marketplace,
        error: error instanceof Error ? error.message : String(error),
      });
      events.emit('handlerError', { marketplace, stage: 'verify', error });
      return errorResponse(500, 'internal_error');
    }
    if (!result.ok) {
      const response = result.reason === 'unknown_topic' ? acknowledge(source) : undefined;
      return refuse(request, marketplace, result.reason, result.detail, response);
    }

    // Each event is claimed, then emitted, in turn: when the store fails half-way, the events
    // already emitted are duplicates on the redelivery and the others are claimed then.
    const several = result.events;
    if (several && several.length > 0) {
      for (const event of several) {
        const outcome = claimAndEmit(event, marketplace);
        const refused = outcome instanceof Promise ? await outcome : outcome;
        if (refused) return refused;
      }
    } else {
      const outcome = claimAndEmit(result.event, marketplace);
      const refused = outcome instanceof Promise ? await outcome : outcome;
      if (refused) return refused;
    }
    return acknowledge(source);
  }

  /**
   * Claims the event's dedupe key and emits it the first time; a `Response` when the store failed.
   * Synchronous with the memory store, so a delivery waits on no promise for it.
   */
  function claimAndEmit(
    event: MlhEvent,
    marketplace: MarketplaceId,
  ): Response | undefined | Promise<Response | undefined> {
    if (!dedupe) {
      emitAccepted(event, marketplace);
      return undefined;
    }
    const key = `${marketplace}:${event.dedupeKey}`;
    let claim: boolean | Promise<boolean>;
    try {
      claim = claimNow ? claimNow(key, dedupeTtlMs) : dedupe.claim(key, dedupeTtlMs);
    } catch (error) {
      return storeFailed(error, marketplace);
    }
    if (typeof claim === 'boolean') return claimed(claim, event, marketplace);
    return Promise.resolve(claim).then(
      (first) => claimed(first, event, marketplace),
      (error: unknown) => storeFailed(error, marketplace),
    );
  }

  function claimed(first: boolean, event: MlhEvent, marketplace: MarketplaceId): undefined {
    if (first) {
      emitAccepted(event, marketplace);
      return undefined;
    }
    debug?.debug('duplicate webhook acknowledged', { marketplace, type: event.type });
    events.emit('duplicate', event);
    return undefined;
  }

  function emitAccepted(event: MlhEvent, marketplace: MarketplaceId): void {
    debug?.debug('webhook accepted', { marketplace, type: event.type, resourceId: event.resourceId });
    (events as unknown as EventEmitter<Record<string, [MlhEvent]>>).emit(event.type, event);
    events.emit('event', event);
  }

  function storeFailed(error: unknown, marketplace: MarketplaceId): Response {
    logger.error('webhook dedupe store failed', {
      marketplace,
      error: error instanceof Error ? error.message : String(error),
    });
    events.emit('handlerError', { marketplace, stage: 'dedupe', error });
    return errorResponse(503, 'try_again_later', { 'retry-after': '30' });
  }

  return { handle, events, maxBodyBytes };
}
