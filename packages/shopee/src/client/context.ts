import {
  type CacheSettings,
  type Clock,
  createMemoryCache,
  createReadThroughCache,
  type ReadThroughCache,
  systemClock,
  type Transport,
} from '@mlh/core';
import {
  createShopeeTransport,
  parseShopeeAccountId,
  type ShopeeListEncoding,
  type ShopeeScope,
} from '../transport';
import { invalid } from './checks';

/**
 * Reads whether a Brazilian shop issues its own NF-e (the invoices module's, from the shop's
 * profile); true when it cannot tell.
 */
export type ShopeeInvoiceIssuerReader = (
  shop: { scope: ShopeeScope; accountId: string; cache: ReadThroughCache },
  signal?: AbortSignal,
) => Promise<boolean>;

/** Options of {@link createShopeeClient}. */
export interface ShopeeClientOptions {
  /** A Shopee transport with a token provider (see {@link createShopeeTransport}). */
  transport: Transport;
  /** The shop's account id (its shop id). */
  accountId: string;
  /** Encoding of `item_id_list` (`comma`, the default, or `repeat`). */
  listEncoding?: ShopeeListEncoding | undefined;
  /**
   * The shop's currency (e.g. `BRL`). When set, prices written in another currency are refused
   * before sending, and it names the currency of items whose payload carries none.
   */
  currency?: string | undefined;
  /**
   * The shop's market, as Shopee's 2-letter `region` (`BR`, `SG`, …). For a Brazilian shop the
   * client also asks for the fiscal data sellers need for the NF-e (`buyer_cpf_id` and
   * `invoice_data` of orders, `tax_info` of items). Default: `BR` when `currency` is `BRL`, else
   * learnt from the first order or price the shop returns (then one call is repeated, once, with
   * the Brazilian fields).
   */
  market?: string | undefined;
  /**
   * Brazil: whether this shop issues its own NF-e, which decides if an order ready to ship without
   * one is looked up in the `INVOICE_PENDING` list (a second request per `getOrder`). Default
   * `'auto'`: with the invoices module (`shopeeInvoices`, in every full client), asked of
   * `shop/get_profile` the first time it matters and kept for an hour (cache kind `shopProfile`):
   * `invoice_issuer` `Shopee` skips the look-up, `Other` keeps it. A shop whose profile names no
   * issuer (a CPF seller, for whom Shopee's guides state no rule), and a lean client without that
   * module, keep it too. Set `false` for a shop that never uploads notes, `true` to always look up.
   */
  sellerIssuesInvoices?: boolean | 'auto' | undefined;
  /** Clock for default time ranges. */
  clock?: Clock | undefined;
  /** Downloads product image URLs in `createProduct` (Shopee takes bytes, not URLs). Default global fetch. */
  fetch?: typeof fetch | undefined;
  /**
   * Where category trees are kept, and for how long (default: an in-memory cache of this client;
   * `createShopee` shares one between its shops). Keys carry the shop id and language.
   */
  cache?: CacheSettings | undefined;
}

/**
 * What every capability of one shop's client shares: the scope of its calls and the per-account
 * settings, plus one memo, the shop's market (who issues its NF-e is read through the cache).
 * Nothing else belongs here.
 */
export interface ShopeeAccountContext {
  readonly transport: Transport;
  readonly accountId: string;
  /** The scope every `api/*` call takes. */
  readonly scope: ShopeeScope;
  /** The scope with a caller's abort signal. */
  scoped(signal: AbortSignal | undefined): ShopeeScope;
  readonly clock: Clock;
  /** The configured shop currency, upper-cased. */
  readonly shopCurrency: string | undefined;
  /** Downloads product images. */
  readonly fetch: typeof fetch;
  /** Reads category data through the configured cache. */
  readonly cache: ReadThroughCache;
  /** True when the shop is known to be in Brazil (configured, implied by BRL, or learnt). */
  inBrazil(): boolean;
  /** Records the shop's market from a payload that names it, when it is not known yet. */
  learnMarket(market: string | undefined): void;
  /**
   * Whether this Brazilian shop issues its own NF-e: the option, or (`'auto'`) what the invoices
   * module reads of its profile. True when it cannot tell, so an order is still looked up.
   */
  sellerIssuesInvoices(signal?: AbortSignal): Promise<boolean>;
}

/** Builds the context of one shop; throws a `ValidationError` for an account that is not a shop. */
export function createAccountContext(
  options: ShopeeClientOptions,
  issuerReader?: ShopeeInvoiceIssuerReader,
): ShopeeAccountContext {
  const { transport, accountId } = options;
  const account = parseShopeeAccountId(accountId);
  if (account.kind !== 'shop') {
    throw invalid('Shopee client options', [
      { path: 'accountId', message: 'the product, order and logistics APIs are Shop APIs: give a shop id' },
    ]);
  }
  const shopCurrency = options.currency?.toUpperCase();
  // Configured, implied by the currency, or learnt from the first payload that names it: a memo
  // per client (the client stays immutable to its users).
  let market: string | undefined =
    options.market?.trim().toUpperCase() || (shopCurrency === 'BRL' ? 'BR' : undefined);
  const scope: ShopeeScope = { transport, accountId, listEncoding: options.listEncoding };
  const clock = options.clock ?? systemClock;
  const cache = createReadThroughCache({
    ...options.cache,
    cache: options.cache?.cache ?? createMemoryCache({ clock }),
  });
  const issuesSetting = options.sellerIssuesInvoices ?? 'auto';
  return Object.freeze({
    transport,
    accountId,
    scope,
    scoped: (signal: AbortSignal | undefined) => (signal ? { ...scope, signal } : scope),
    clock,
    shopCurrency,
    cache,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    inBrazil: () => market === 'BR',
    learnMarket: (value: string | undefined) => {
      if (market === undefined && value) market = value.trim().toUpperCase();
    },
    sellerIssuesInvoices: (signal?: AbortSignal): Promise<boolean> =>
      issuesSetting !== 'auto'
        ? Promise.resolve(issuesSetting)
        : issuerReader
          ? issuerReader({ scope, accountId, cache }, signal)
          : Promise.resolve(true),
  });
}
