import type { MlhApi } from '../src/index';
import type { OPERATIONS } from '../src/openapi';

/**
 * The operations an app serves, as `method /path/{param}`: every route but the document and the
 * reference page, which describe the others.
 */
export function servedOperations(api: MlhApi): Set<string> {
  return new Set(
    api.routes
      .filter((route) => route.method !== 'ALL' && !['/openapi.json', '/reference'].includes(route.path))
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  );
}

/** The operations these lists of the document describe, in the same form. */
export function describedOperations(...lists: ReadonlyArray<typeof OPERATIONS>): Set<string> {
  return new Set(lists.flat().map((operation) => `${operation.method} ${operation.path}`));
}
