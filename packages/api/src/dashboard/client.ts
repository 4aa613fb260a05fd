/**
 * The dashboard's way to the API: in-process HTTP requests (`api.fetch`) with the operator's own
 * key, so scopes, rate limits, validation and idempotency are the API's, exactly as for any client.
 */

/** Anything that answers a `Request`: the Hono app of `createApi`, or a `fetch` to a remote API. */
export interface ApiEndpoint {
  fetch(request: Request): Response | Promise<Response>;
}

/** An error answer of the API, read from its problem+json body. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; kind?: string; code?: string },
  ) {
    super(problem.detail ?? problem.title ?? `The API answered ${status}`);
    this.name = 'ApiCallError';
  }

  /** True when the route is not served by this API (another version, or an option left out). */
  get noRoute(): boolean {
    return this.status === 404 && this.problem.code === 'no_route';
  }
}

/** The answer of a write. */
export interface ApiWriteResult<T> {
  ok: boolean;
  status: number;
  body: T | undefined;
  error: ApiCallError | undefined;
}

/** The calls a page makes, bound to one operator's key. */
export interface ApiClient {
  /** GET a JSON resource; throws {@link ApiCallError} on an error answer. */
  get<T>(path: string): Promise<T>;
  /** GET a JSON resource the API may not serve: undefined when the route does not exist. */
  optional<T>(path: string): Promise<T | undefined>;
  /** A write (POST, PUT, DELETE) with an idempotency key; never throws on an error answer. */
  send<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<ApiWriteResult<T>>;
  /** The raw answer (for the event stream). */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

/** The base the in-process requests are made against; never resolved over the network. */
const INTERNAL_ORIGIN = 'http://mlh-api.internal';

async function problemOf(response: Response): Promise<ApiCallError> {
  let problem: Record<string, unknown> = {};
  try {
    problem = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not problem+json (a proxy's error page): the status alone tells what happened.
  }
  return new ApiCallError(response.status, {
    ...(typeof problem.title === 'string' ? { title: problem.title } : {}),
    ...(typeof problem.detail === 'string' ? { detail: problem.detail } : {}),
    ...(typeof problem.kind === 'string' ? { kind: problem.kind } : {}),
    ...(typeof problem.code === 'string' ? { code: problem.code } : {}),
  });
}

/** Binds the API to one operator's key. */
export function apiClient(api: ApiEndpoint, apiKey: string): ApiClient {
  const raw = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${apiKey}`);
    return api.fetch(new Request(new URL(path, INTERNAL_ORIGIN), { ...init, headers }));
  };
  const get = async <T>(path: string): Promise<T> => {
    const response = await raw(path);
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  };
  return {
    raw,
    get,
    optional: async <T>(path: string) => {
      try {
        return await get<T>(path);
      } catch (error) {
        if (error instanceof ApiCallError && error.noRoute) return undefined;
        throw error;
      }
    },
    send: async <T>(method: string, path: string, body?: unknown, idempotencyKey?: string) => {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      const response = await raw(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok)
        return { ok: false, status: response.status, body: undefined, error: await problemOf(response) };
      const text = await response.text();
      return {
        ok: true,
        status: response.status,
        body: text === '' ? undefined : (JSON.parse(text) as T),
        error: undefined,
      };
    },
  };
}
