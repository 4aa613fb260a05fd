import type { Context } from 'hono';
import type { ApiPrincipal } from './keys';

/** What the middleware sets on a request's context. */
export interface ApiVariables {
  /** The API key the request authenticated with. */
  principal: ApiPrincipal;
  /** The request's idempotency key, scoped by API key, on a write. */
  idempotencyKey: string;
}

/** The Hono environment of the API's app. */
export interface ApiEnv {
  Variables: ApiVariables;
}

/** A request context of the API's app. */
export type ApiContext = Context<ApiEnv>;
