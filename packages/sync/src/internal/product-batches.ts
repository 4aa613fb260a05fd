import { groupBy } from '@mlh/core';

/** Bounds of one `updateInventory` call: SKUs, and (where the adapter reads per product) products. */
export interface ProductBatchLimits {
  maxSkus: number;
  maxProducts?: number | undefined;
}

/**
 * Packs SKUs into `updateInventory` calls made of whole products. Every marketplace writes one
 * product per request with all its SKUs, so a product cut in two by a batch boundary costs two
 * requests; a product with more SKUs than a call may carry is split into full pieces, and only its
 * remainder shares a call with other products.
 *
 * SKUs arrive in pages (`add`); a product is placed once a SKU of another product follows it or
 * `finish` is called, since the next page may continue it. `take` hands out the calls that are
 * full; `finish` hands out the rest.
 */
export class ProductBatcher<T> {
  private readonly maxSkus: number;
  private readonly maxProducts: number;
  private readonly ready: T[][] = [];
  private open: T[] = [];
  private openProducts = 0;
  private product: T[] = [];
  private productKey: string | undefined;

  constructor(
    limits: ProductBatchLimits,
    private readonly keyOf: (item: T) => string,
  ) {
    this.maxSkus = Math.max(1, Math.floor(limits.maxSkus));
    const products = limits.maxProducts;
    this.maxProducts =
      products === undefined || !(products >= 1) ? Number.POSITIVE_INFINITY : Math.floor(products);
  }

  /** Adds SKUs in order; a product's SKUs must follow each other. */
  add(items: readonly T[]): void {
    for (const item of items) {
      const key = this.keyOf(item);
      if (key !== this.productKey) {
        this.placeProduct();
        this.productKey = key;
      }
      this.product.push(item);
      // A product bigger than a call goes out in full pieces as soon as they fill up.
      if (this.product.length === this.maxSkus) {
        this.ready.push(this.product);
        this.product = [];
      }
    }
  }

  /** The calls that are full, in order; they are handed out once. */
  take(): T[][] {
    return this.ready.splice(0);
  }

  /** Every call still held, the last product included. */
  finish(): T[][] {
    this.placeProduct();
    this.productKey = undefined;
    this.closeOpen();
    return this.take();
  }

  private placeProduct(): void {
    const product = this.product;
    if (product.length === 0) return;
    this.product = [];
    if (this.open.length + product.length > this.maxSkus) this.closeOpen();
    this.open.push(...product);
    this.openProducts += 1;
    if (this.open.length >= this.maxSkus || this.openProducts >= this.maxProducts) this.closeOpen();
  }

  private closeOpen(): void {
    if (this.open.length > 0) this.ready.push(this.open);
    this.open = [];
    this.openProducts = 0;
  }
}

/**
 * Packs a whole list into `updateInventory` calls of whole products (see {@link ProductBatcher}).
 * A product's SKUs need not follow each other: they are gathered first, in order of first sight.
 */
export function productBatches<T>(
  items: readonly T[],
  limits: ProductBatchLimits,
  keyOf: (item: T) => string,
): T[][] {
  const byProduct = groupBy(items, keyOf);
  const batcher = new ProductBatcher(limits, keyOf);
  for (const list of byProduct.values()) batcher.add(list);
  return batcher.finish();
}
