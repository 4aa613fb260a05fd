import type { ApiEvent, ApiEventSource } from './events';

/** Options of the `GET /events` stream (`eventStream` of `createApi`). */
export interface EventStreamOptions {
  /** A comment line every this many milliseconds keeps proxies from closing an idle stream. Default 15 000. */
  heartbeatMs?: number | undefined;
  /**
   * Events held for a client that reads slower than they come, beyond the stream's own small
   * buffer. Past it the oldest are dropped and the client is told how many with an
   * `events.dropped` event (reload what it shows). Default 500.
   */
  maxQueuedEvents?: number | undefined;
  /**
   * Streams one API key may hold open at once in this process; one more is answered 429. Default 10.
   */
  maxStreamsPerKey?: number | undefined;
  /** How long a browser waits before reconnecting a dropped stream (the `retry:` field), in ms. Default 3 000. */
  retryMs?: number | undefined;
  /** Timers; default the global ones. */
  timers?:
    | {
        setInterval(callback: () => void, ms: number): unknown;
        clearInterval(handle: unknown): void;
      }
    | undefined;
}

/** Chunks the stream itself may hold before the client is counted as slow. */
const STREAM_BUFFER_CHUNKS = 16;

const EVENT_TYPE = /^[A-Za-z][\w.-]{0,99}$/;

/** An event in the text/event-stream format, or undefined when it cannot be sent as one. */
function formatEvent(event: ApiEvent): string | undefined {
  if (typeof event?.type !== 'string' || !EVENT_TYPE.test(event.type)) return undefined;
  let data: string | undefined;
  try {
    data = JSON.stringify(event.data ?? null);
  } catch {
    return undefined;
  }
  // JSON.stringify escapes line breaks inside strings, so the data is one line.
  return `event: ${event.type}\ndata: ${data}\n\n`;
}

/**
 * The body of `GET /events`: a text/event-stream that subscribes to `source` for as long as the
 * client reads it and unsubscribes when it goes away (`cancel`, or the request's `signal`).
 * Memory per client is bounded: a client that does not keep up loses the oldest events and gets an
 * `events.dropped` count instead.
 */
export function eventStream(
  source: ApiEventSource,
  signal: AbortSignal | undefined,
  options: EventStreamOptions = {},
  onClose?: () => void,
): ReadableStream<Uint8Array> {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxQueued = Math.max(1, options.maxQueuedEvents ?? 500);
  const timers = options.timers ?? {
    setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
    clearInterval: (handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>),
  };
  const encoder = new TextEncoder();
  const queued: string[] = [];
  let dropped = 0;
  let stop: (() => void) | undefined;
  /** Moves waiting events into the stream while it has room: the drop notice first, then the oldest. */
  const drain = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    while ((controller.desiredSize ?? 0) > 0 && (dropped > 0 || queued.length > 0)) {
      if (dropped > 0) {
        controller.enqueue(encoder.encode(`event: events.dropped\ndata: {"dropped":${dropped}}\n\n`));
        dropped = 0;
      } else {
        controller.enqueue(encoder.encode(queued.shift()!));
      }
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        const flush = () => drain(controller);
        const unsubscribe = source.subscribe((event) => {
          if (closed) return;
          const text = formatEvent(event);
          if (text === undefined) return;
          queued.push(text);
          if (queued.length > maxQueued) {
            queued.shift();
            dropped += 1;
          }
          flush();
        });
        const heartbeat = timers.setInterval(() => {
          // Behind a backlog the client is receiving anyway; a heartbeat would only add to it.
          if (!closed && queued.length === 0 && (controller.desiredSize ?? 0) > 0) {
            controller.enqueue(encoder.encode(': heartbeat\n\n'));
          }
        }, heartbeatMs);
        stop = () => {
          if (closed) return;
          closed = true;
          timers.clearInterval(heartbeat);
          unsubscribe();
          queued.length = 0;
          signal?.removeEventListener('abort', onAbort);
          onClose?.();
        };
        const onAbort = () => {
          stop?.();
          try {
            controller.close();
          } catch {
            // Already closed or errored by the reader going away.
          }
        };
        signal?.addEventListener('abort', onAbort);
        // The first bytes: the reconnect delay and a comment, so headers and stream reach the client at once.
        controller.enqueue(encoder.encode(`retry: ${options.retryMs ?? 3_000}\n: connected\n\n`));
        if (signal?.aborted) onAbort();
      },
      pull(controller) {
        // The client read: send what waited for it.
        drain(controller);
      },
      cancel() {
        stop?.();
      },
    },
    new CountQueuingStrategy({ highWaterMark: STREAM_BUFFER_CHUNKS }),
  );
}
