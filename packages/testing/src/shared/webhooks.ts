import { seededRandom } from './random';

/** Where webhooks go: a URL (sent with `fetch`) or an in-process handler taking a Fetch `Request`. */
export type WebhookTarget = string | ((request: Request) => Response | Promise<Response>);

/** How a {@link WebhookDelivery} behaves. */
export interface DeliveryOptions {
  /** At-least-once delivery: `true` sends one extra copy of each webhook, a number that many extra copies. */
  duplicates?: boolean | number;
  /** Delivers each flush in a shuffled order (always different from the queue order when there are 2+). */
  outOfOrder?: boolean;
  /** `fetch` used for URL targets. Default: the global `fetch` at delivery time (so msw can intercept it). */
  fetch?: typeof fetch;
  /** Attempts per webhook before giving up; a failed one is queued again for the next flush. Default: 1. */
  maxAttempts?: number;
  /** Flush automatically after each `send()` (on a microtask). Default: false; call `flush()`. */
  autoFlush?: boolean;
  /** URL handed to builders when the target is a function. Default: `http://localhost/webhooks`. */
  callbackUrl?: string;
  /** Seed of the shuffle used by `outOfOrder`. */
  seed?: number;
}

/** What a sandbox's builder receives: the URL to address and the attempt number (1-based). */
export interface WebhookBuildContext {
  url: string;
  attempt: number;
}

/** One delivery attempt as it happened. `status` is 0 when the target threw or the network failed. */
export interface WebhookDeliveryRecord {
  url: string;
  status: number;
  /** The request body that was sent. */
  body: string;
  attempt: number;
  ok: boolean;
  /** The response body (empty on network errors). */
  responseBody: string;
  /** Whether this was an extra copy made by the `duplicates` option. */
  duplicate: boolean;
}

/** Per-webhook options of {@link WebhookDelivery.send}. */
export interface SendOptions {
  /** Called once when the webhook failed its last attempt (e.g. to record it as a missed feed). */
  onGiveUp?: (last: WebhookDeliveryRecord) => void;
  /** Called after every attempt, delivered or not (e.g. to keep a success rate). Duplicates included. */
  onAttempt?: (record: WebhookDeliveryRecord) => void;
}

/** Queues and delivers a sandbox's webhooks. */
export interface WebhookDelivery {
  /**
   * Queues a request (built by the sandbox with the marketplace's real headers/signature). The
   * builder runs at delivery time, once per attempt and copy. Ignored when no target is configured,
   * as a marketplace sends nothing to an app without a callback.
   */
  send(build: (context: WebhookBuildContext) => Request, options?: SendOptions): void;
  /** Delivers everything queued (shuffling when outOfOrder, repeating when duplicates); resolves with the statuses. */
  flush(): Promise<number[]>;
  /** Changes options or the target; `target: undefined` stops delivery. */
  configure(options: Partial<DeliveryOptions> & { target?: WebhookTarget | undefined }): void;
  /** Every delivery attempt so far, in delivery order. */
  readonly log: ReadonlyArray<WebhookDeliveryRecord>;
  /** Webhooks waiting for the next flush. */
  readonly pending: number;
  /** Drops the queue and the log. */
  clear(): void;
}

interface Queued {
  build: (context: WebhookBuildContext) => Request;
  attempt: number;
  options: SendOptions;
}

const DEFAULT_CALLBACK_URL = 'http://localhost/webhooks';

/**
 * Creates a webhook delivery queue. Sandboxes call `send()` on each state change; tests and
 * examples call `flush()` (or set `autoFlush`).
 *
 * @example
 * const delivery = createWebhookDelivery({ target: (request) => app.handleWebhook(request), duplicates: true });
 * delivery.send(({ url }) => new Request(url, { method: 'POST', body: '{}' }));
 * await delivery.flush(); // [200, 200]: the original and its duplicate
 */
export function createWebhookDelivery(
  options: DeliveryOptions & { target?: WebhookTarget } = {},
): WebhookDelivery {
  let settings: DeliveryOptions = { ...options };
  let target: WebhookTarget | undefined = options.target;
  let random = seededRandom(options.seed ?? 1);
  let queue: Queued[] = [];
  const log: WebhookDeliveryRecord[] = [];
  let running: Promise<number[]> = Promise.resolve([]);
  let flushScheduled = false;

  function extraCopies(): number {
    const { duplicates } = settings;
    if (duplicates === true) return 1;
    if (typeof duplicates === 'number' && duplicates > 0) return Math.floor(duplicates);
    return 0;
  }

  async function deliverOne(entry: Queued, duplicate: boolean): Promise<WebhookDeliveryRecord> {
    const currentTarget = target;
    const url =
      typeof currentTarget === 'string' ? currentTarget : (settings.callbackUrl ?? DEFAULT_CALLBACK_URL);
    const built = entry.build({ url, attempt: entry.attempt });
    const body = built.method === 'GET' || built.method === 'HEAD' ? '' : await built.text();
    const request = new Request(typeof currentTarget === 'string' ? currentTarget : built.url, {
      method: built.method,
      headers: built.headers,
      ...(body === '' ? {} : { body }),
    });
    let status = 0;
    let responseBody = '';
    try {
      const response =
        currentTarget === undefined
          ? Response.error()
          : typeof currentTarget === 'string'
            ? await (settings.fetch ?? globalThis.fetch)(request)
            : await currentTarget(request);
      status = response.type === 'error' ? 0 : response.status;
      responseBody = status === 0 ? '' : await response.text();
    } catch {
      status = 0;
    }
    const record: WebhookDeliveryRecord = {
      url: request.url,
      status,
      body,
      attempt: entry.attempt,
      ok: status >= 200 && status < 300,
      responseBody,
      duplicate,
    };
    log.push(record);
    entry.options.onAttempt?.(record);
    return record;
  }

  async function flushNow(): Promise<number[]> {
    const batch = queue;
    queue = [];
    if (target === undefined || batch.length === 0) return [];
    const copies = extraCopies();
    const plan: Array<{ entry: Queued; duplicate: boolean }> = [];
    for (const entry of batch) {
      plan.push({ entry, duplicate: false });
      for (let copy = 0; copy < copies; copy += 1) plan.push({ entry, duplicate: true });
    }
    const ordered = settings.outOfOrder ? shuffleDifferently(plan, random) : plan;
    const statuses: number[] = [];
    const lastRecord = new Map<Queued, WebhookDeliveryRecord>();
    const delivered = new Set<Queued>();
    for (const { entry, duplicate } of ordered) {
      const record = await deliverOne(entry, duplicate);
      statuses.push(record.status);
      lastRecord.set(entry, record);
      if (record.ok) delivered.add(entry);
    }
    const maxAttempts = Math.max(1, settings.maxAttempts ?? 1);
    for (const entry of batch) {
      if (delivered.has(entry)) continue;
      if (entry.attempt < maxAttempts) {
        queue.push({ ...entry, attempt: entry.attempt + 1 });
        continue;
      }
      const last = lastRecord.get(entry);
      if (last !== undefined) entry.options.onGiveUp?.(last);
    }
    return statuses;
  }

  function flush(): Promise<number[]> {
    // Flushes never interleave: each one starts after the previous one has finished.
    const next = running.then(flushNow, flushNow);
    running = next;
    return next;
  }

  return {
    send(build, sendOptions = {}) {
      if (target === undefined) return;
      queue.push({ build, attempt: 1, options: sendOptions });
      if (settings.autoFlush && !flushScheduled) {
        flushScheduled = true;
        queueMicrotask(() => {
          flushScheduled = false;
          void flush();
        });
      }
    },
    flush,
    configure(next) {
      const { target: nextTarget, ...rest } = next;
      if ('target' in next) target = nextTarget;
      settings = { ...settings, ...rest };
      if (rest.seed !== undefined) random = seededRandom(rest.seed);
    },
    get log() {
      return log;
    },
    get pending() {
      return queue.length;
    },
    clear() {
      queue = [];
      log.length = 0;
    },
  };
}

/** Fisher–Yates shuffle that never returns the input order when a different one exists. */
function shuffleDifferently<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  const unchanged = result.every((item, index) => item === items[index]);
  if (unchanged && result.length > 1) result.push(result.shift() as T);
  return result;
}
