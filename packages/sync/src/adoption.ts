import type { MarketplaceClient, Product } from '@mlh/core';

/**
 * How {@link ProductSync} looks for a listing that already carries a product's SKU before its
 * first create (`adoptExisting`):
 * - `auto`: one catalogue read per run where the marketplace cannot search by SKU
 *   (`capabilities.skuSearch: 'scan'`); one search per page of products where it searches many
 *   SKUs at once (`findProductsBySkus`); otherwise one search per product, switching to one
 *   catalogue read once the run has looked up as many products as that read would cost calls
 *   (`estimateCatalogRead`, asked once per run; an empty account is read at once), or, where the
 *   client cannot estimate or `adoptionScanAfter` is set, after that many products.
 * - `search`: never read the catalogue; a search per page where possible, else per product.
 * - `scan`: one catalogue read per run per account, from the first lookup.
 */
export type AdoptionLookup = 'auto' | 'search' | 'scan';

/**
 * Per-product searches a run makes on one account before `auto` reads the catalogue once instead,
 * where the client cannot estimate what that read costs (no `estimateCatalogRead`).
 */
export const DEFAULT_ADOPTION_SCAN_AFTER = 50;

/** The SKUs of a catalog product that a lookup uses. */
export interface AdoptionCandidate {
  sku: string;
  variants: readonly { sku: string }[];
}

/** What adoption needs of a listing found on the marketplace (a catalogue read keeps only this). */
export interface ExistingListing {
  externalId?: string | undefined;
  status: Product['status'];
  sku: string;
  createdAt?: string | undefined;
  variants: readonly { sku?: string | undefined; externalId?: string | undefined }[];
}

type Strategy = 'scan' | 'page' | 'product';

/**
 * One run's lookups of existing listings on one account: answers "which listing carries these
 * SKUs" in as few calls as the marketplace allows, and keeps what it read only for the run
 * (a catalogue read) or the page (a page search).
 */
export class AdoptionIndex {
  private searches = 0;
  private scan: Promise<Map<string, ExistingListing[]>> | undefined;
  private pageSkus: ReadonlySet<string> = new Set();
  private pageSearch: Promise<Map<string, ExistingListing[]>> | undefined;
  private scanAfter: number | undefined;
  private scanAfterEstimate: Promise<number> | undefined;

  /**
   * @param scanAfter products searched one by one before `auto` reads the catalogue; undefined:
   * what the client's `estimateCatalogRead` says the read costs (else `DEFAULT_ADOPTION_SCAN_AFTER`).
   */
  constructor(
    private readonly client: MarketplaceClient,
    private readonly mode: AdoptionLookup,
    scanAfter: number | undefined,
  ) {
    this.scanAfter = scanAfter;
  }

  /** The products of the page being synced: a page search covers them all at once. */
  beginPage(products: readonly AdoptionCandidate[]): void {
    this.pageSkus = new Set(products.flatMap(lookupSkus));
    this.pageSearch = undefined;
  }

  /** The listing on the marketplace that carries this product's SKUs, if any. */
  async find(product: AdoptionCandidate): Promise<ExistingListing | undefined> {
    if (this.scanAfter === undefined && this.mode === 'auto' && this.strategy() === 'product') {
      this.scanAfter = await this.estimatedScanAfter();
    }
    const strategy = this.strategy();
    if (strategy === 'scan') return pickFrom(await this.scanned(), product);
    // A product whose SKUs were not in the page's search (e.g. changed by `prepare`) is searched alone.
    if (strategy === 'page' && lookupSkus(product).every((sku) => this.pageSkus.has(sku)))
      return pickFrom(await this.pageFound(), product);
    this.searches += 1;
    return findExisting(this.client, product);
  }

  private strategy(): Strategy {
    const { client, mode } = this;
    const scans = client.capabilities.skuSearch === 'scan';
    if (mode === 'scan' || this.scan) return 'scan';
    if (mode === 'auto' && scans) return 'scan';
    if (client.findProductsBySkus && !scans) return 'page';
    if (mode === 'auto' && this.scanAfter !== undefined && this.searches >= this.scanAfter) return 'scan';
    return 'product';
  }

  /**
   * A catalogue read pays off once the run has looked up as many products as the read costs calls
   * (each lookup is at least one search), so the run switches then: never more than about twice the
   * calls of the better choice, without knowing in advance how many products need a lookup.
   */
  private estimatedScanAfter(): Promise<number> {
    const { client } = this;
    this.scanAfterEstimate ??= client.estimateCatalogRead
      ? client.estimateCatalogRead().then(
          (estimate) => Math.max(0, estimate.calls - 1),
          // Only a hint: without it the run keeps the fixed threshold.
          () => DEFAULT_ADOPTION_SCAN_AFTER,
        )
      : Promise.resolve(DEFAULT_ADOPTION_SCAN_AFTER);
    return this.scanAfterEstimate;
  }

  private scanned(): Promise<Map<string, ExistingListing[]>> {
    this.scan ??= readCatalog(this.client).catch((error: unknown) => {
      // A failed read is not kept: the next lookup tries again.
      this.scan = undefined;
      throw error;
    });
    return this.scan;
  }

  private pageFound(): Promise<Map<string, ExistingListing[]>> {
    const { client } = this;
    this.pageSearch ??= (async () => {
      return indexBySku(((await client.findProductsBySkus?.([...this.pageSkus])) ?? []).map(slim));
    })().catch((error: unknown) => {
      this.pageSearch = undefined;
      throw error;
    });
    return this.pageSearch;
  }
}

/**
 * The SKUs searched for a product: its own, then its first variant's. Some marketplaces cannot
 * search a product's own SKU (TikTok Shop keeps it in `external_product_id`, which its search
 * ignores), but every one can find a variant SKU, and a listing this SDK created carries all of
 * them, so one variant is enough.
 */
function lookupSkus(product: AdoptionCandidate): string[] {
  return [...new Set([product.sku, ...product.variants.slice(0, 1).map((variant) => variant.sku)])];
}

/** Searches the marketplace for a listing of this product, one SKU after the other. */
export async function findExisting(
  client: MarketplaceClient,
  product: AdoptionCandidate,
): Promise<Product | undefined> {
  for (const sku of lookupSkus(product)) {
    const found = pickExisting(await client.findProductsBySku(sku), product);
    if (found) return found;
  }
  return undefined;
}

/** Every listing of the account, indexed by its SKUs, keeping only what adoption needs. */
async function readCatalog(client: MarketplaceClient): Promise<Map<string, ExistingListing[]>> {
  const listings: ExistingListing[] = [];
  for await (const product of client.listProducts()) listings.push(slim(product));
  return indexBySku(listings);
}

function slim(product: Product): ExistingListing {
  return {
    externalId: product.externalId,
    status: product.status,
    sku: product.sku,
    createdAt: product.createdAt,
    variants: product.variants.map((variant) => ({ sku: variant.sku, externalId: variant.externalId })),
  };
}

function indexBySku(listings: readonly ExistingListing[]): Map<string, ExistingListing[]> {
  const index = new Map<string, ExistingListing[]>();
  for (const listing of listings) {
    const skus = new Set([listing.sku, ...listing.variants.flatMap((v) => (v.sku ? [v.sku] : []))]);
    for (const sku of skus) index.set(sku, [...(index.get(sku) ?? []), listing]);
  }
  return index;
}

function pickFrom(
  index: ReadonlyMap<string, ExistingListing[]>,
  product: AdoptionCandidate,
): ExistingListing | undefined {
  const skus = [product.sku, ...product.variants.map((v) => v.sku)];
  return pickExisting([...new Set(skus.flatMap((sku) => index.get(sku) ?? []))], product);
}

/** The marketplace product that carries this catalog product's SKUs, oldest first when several do. */
export function pickExisting<T extends ExistingListing>(
  found: readonly T[],
  product: AdoptionCandidate,
): T | undefined {
  const skus = new Set([product.sku, ...product.variants.map((v) => v.sku)]);
  // A remote variant without a SKU matches nothing: it never passes for one of the catalog's.
  const matches = found.filter(
    (p) => skus.has(p.sku) || p.variants.some((v) => v.sku !== undefined && skus.has(v.sku)),
  );
  return [...matches].sort(
    (a, b) =>
      (a.createdAt ?? '').localeCompare(b.createdAt ?? '') ||
      (a.externalId ?? '').localeCompare(b.externalId ?? ''),
  )[0];
}
