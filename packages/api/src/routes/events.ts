import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { type EventStreamOptions, eventStream } from '../event-stream';
import type { ApiEventSource } from '../events';
import { ApiProblem } from '../problem';
import { requireScope } from '../security';

/** `GET /events`: the live events as a text/event-stream, for as long as the client reads. */
export function eventRoutes(options: {
  source: ApiEventSource;
  stream?: EventStreamOptions | undefined;
}): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  const maxPerKey = options.stream?.maxStreamsPerKey ?? 10;
  // Each stream's memory is bounded; their number per key is bounded here.
  const openStreams = new Map<string, number>();
  routes.get('/', requireScope('read'), (c) => {
    const keyId = c.get('principal').keyId;
    const open = openStreams.get(keyId) ?? 0;
    if (open >= maxPerKey) {
      throw new ApiProblem(
        429,
        'rate_limit',
        'too_many_streams',
        `This API key has ${open} event streams open already; close one first`,
        { retryAfter: 5 },
      );
    }
    openStreams.set(keyId, open + 1);
    const closed = () => {
      const left = (openStreams.get(keyId) ?? 1) - 1;
      if (left > 0) openStreams.set(keyId, left);
      else openStreams.delete(keyId);
    };
    let body: ReadableStream<Uint8Array>;
    try {
      body = eventStream(options.source, c.req.raw.signal, options.stream, closed);
    } catch (error) {
      // The source refused the subscription: the stream never opened.
      closed();
      throw error;
    }
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // nginx and similar proxies would hold the events back to fill a buffer.
        'x-accel-buffering': 'no',
      },
    });
  });
  return routes;
}
