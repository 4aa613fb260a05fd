/**
 * The entry of `@mlh/core` under the `node` export condition: everything the portable entry
 * exports, with `parseOrThrow` on the fast path of `fast-parse`, the transport sending on
 * `node:http` (see `transport/node-wire`), and faster `epochMsToIso`, `moneyInCurrencyScale`,
 * `addMoney`, `subtractMoney`, `multiplyMoney`, `sumMoney`, `compareMoney`, `setQueryParams` and
 * `queryPairsWithout`, and a request's query written without `URLSearchParams`. They are kept out of the portable entry only for size: browser and Workers
 * bundles stay as they were.
 */
import * as z from 'zod/mini';
import { FAILED, fastParse } from './fast-parse';
import { installFastSafeParse } from './fast-path-hook';
import { queryText } from './fast-query';
import { nodeHttpWire } from './transport/node-wire';
import { installFastQueryText } from './transport/query-hook';
import { installDefaultWire } from './transport/wire';

installFastSafeParse((schema, value, owned) => {
  const fast = fastParse(schema, value, owned);
  // Only a bad value goes to zod, which names its issues.
  return fast === FAILED ? z.safeParse(schema, value) : { success: true, data: fast };
});

installFastQueryText(queryText);

// Bun and Deno resolve the `node` condition too, but their `node:http` is built on their own
// `fetch`, which is the faster road there.
const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process
  ?.versions;
if (versions?.node !== undefined && versions.bun === undefined && versions.deno === undefined) {
  installDefaultWire(nodeHttpWire(globalThis.fetch));
}

// Named, so they win over the portable ones that `export *` below re-exports.
export { epochMsToIso } from './fast-iso';
export {
  addMoney,
  compareMoney,
  moneyInCurrencyScale,
  multiplyMoney,
  subtractMoney,
  sumMoney,
} from './fast-money';
export { queryPairsWithout, setQueryParams } from './fast-query';
export * from './index';
