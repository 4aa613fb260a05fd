import type { Logger, ManualClock } from '@mlh/core';

/** A fetch that answers from a function and remembers every request it was sent. */
export function fakeFetch(answer: (request: Request, call: number) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const bodies: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request.clone());
    bodies.push(await request.clone().text());
    return answer(request, requests.length);
  };
  return { fetch: fetchImpl as typeof fetch, requests, bodies };
}

/** A response that never comes, until the request is aborted. */
export function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });
}

/** JSON response helper. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

/** Fires the manual clock's timers until `promise` settles; returns its result (or rethrows). */
export function settle<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  return clock.settle(promise);
}

/** Captures a rejection as a value, to assert on the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

function textsOfError(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error)) return [String(error)];
  const texts = [error.message, String(error), error.stack ?? ''];
  const json = (error as { toJSON?: () => unknown }).toJSON?.();
  if (json !== undefined) texts.push(JSON.stringify(json));
  if (error.cause !== undefined && depth < 5) texts.push(...textsOfError(error.cause, depth + 1));
  return texts;
}

/**
 * Collects every log line and every error of a test file, to assert at the end that none of
 * them contains a whole secret.
 */
export function createLeakDetector() {
  const lines: string[] = [];
  const errors: unknown[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
  };
  const logger: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
  return {
    logger,
    lines,
    errors,
    /** Remembers an error for the final leak check and returns it. */
    keep<E>(error: E): E {
      errors.push(error);
      return error;
    },
    /** Every text a user could see: log lines, error messages, JSON, causes and stacks. */
    texts(): string[] {
      return [...lines, ...errors.flatMap((error) => textsOfError(error))];
    },
  };
}
