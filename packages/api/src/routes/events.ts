import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { type EventStreamOptions, eventStream } from '../event-stream';
import type { ApiEventSource } from '../events';
import { requireScope } from '../security';

/** `GET /events`: the live events as a text/event-stream, for as long as the client reads. */
export function eventRoutes(options: {
  source: ApiEventSource;
  stream?: EventStreamOptions | undefined;
}): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.get('/', requireScope('read'), (c) => {
    return new Response(eventStream(options.source, c.req.raw.signal, options.stream), {
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
