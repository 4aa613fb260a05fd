import {
  asArray,
  type CatalogCapability,
  type CatalogReadEstimate,
  type CreateProductOptions,
  type FieldIssue,
  isMlhError,
  type ListProductsOptions,
  MlhError,
  mapLimit,
  NotFoundError,
  Product,
  ProductStatus,
  parseOrThrow,
  SettableProductStatus,
  toFieldIssues,
  ValidationError,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as itemsApi from '../api/items';
import {
  combineUserProductItems,
  isUserProductItem,
  MELI_ITEM_STATUS_FROM_PRODUCT,
  type MeliListingModel,
  type MeliPartialContent,
  mapMeliItem,
  productToClassicItem,
  productToClassicUpdate,
  productToUserProductItems,
  productToUserProductUpdate,
  validateMeliProduct,
} from '../mappers';
import type { MeliItem, MeliItemUpdate, MeliNewItem } from '../schemas';
import { asMlhError, ITEM_ID, type MeliAccountContext, toTime } from './context';

/** A User Products creation that stopped after some items were created. */
export class MeliPartialCreateError extends MlhError {
  /** The items created before the failure: they exist on Mercado Livre. */
  readonly createdItemIds: readonly string[];
  constructor(createdItemIds: readonly string[], cause: unknown) {
    super(
      `Mercado Livre created ${createdItemIds.length} item(s) (${createdItemIds.join(', ')}) of the product, then failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      {
        marketplace: 'meli',
        code: 'partial_create',
        cause,
        status: isMlhError(cause) ? cause.status : undefined,
      },
    );
    this.createdItemIds = createdItemIds;
  }
}

/** Core product status → the statuses to ask the seller item search for. */
const ITEM_SEARCH_STATUSES: Readonly<Record<ProductStatus, readonly string[] | undefined>> = {
  active: ['active'],
  // `payment_required` reads as paused (it comes back once paid), so a paused filter asks for it.
  paused: ['paused', 'payment_required'],
  inactive: ['closed', 'under_review', 'inactive', 'pending', 'not_yet_active', 'programmed'],
  // An unknown status cannot be asked for by name: search every status and keep the unknown ones.
  unknown: undefined,
};

/** The listing operations of the client. */
export type MeliCatalogCapability = CatalogCapability;

/**
 * A check `createProduct` runs on the item bodies before any write, unless the caller passes
 * `validateRequirements: false`; it throws a `ValidationError` naming what is missing. The
 * categories module brings one (the leaf category's requirements).
 */
export type MeliListingCheck = (ctx: MeliAccountContext, bodies: readonly MeliNewItem[]) => Promise<void>;

/** Listings: read, search, create, update, status and local validation. */
export function catalogCapability(
  ctx: MeliAccountContext,
  listingChecks: readonly MeliListingCheck[],
): MeliCatalogCapability {
  const {
    context,
    accountId,
    options,
    concurrency,
    descriptions,
    multiget,
    listingDefaults,
    listingModel,
    knownListingModel,
    knownSiteId,
    rules,
  } = ctx;

  async function descriptionOf(itemId: string): Promise<string | undefined> {
    try {
      const description = await itemsApi.getItemDescription(context, itemId);
      return description.data.plain_text ?? description.data.text ?? undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async function mapItems(items: readonly MeliItem[], partial: MeliPartialContent | undefined) {
    return mapLimit(items, concurrency, async (item) =>
      mapMeliItem(item, {
        description: descriptions === 'all' ? await descriptionOf(item.id) : undefined,
        partial,
      }),
    );
  }

  async function getProducts(externalIds: readonly string[]): Promise<Product[]> {
    if (externalIds.length === 0) return [];
    const result = await itemsApi.getItems(context, externalIds, multiget);
    return mapItems(result.items, result.partial);
  }

  async function getProduct(externalId: string): Promise<Product> {
    const item = await itemsApi.getItem(context, externalId);
    const description = descriptions === 'none' ? undefined : await descriptionOf(externalId);
    return mapMeliItem(item.data, { description, partial: item.partial });
  }

  /** After a successful create, a failed description must not look like a failed create. */
  async function describeCreated(itemIds: readonly string[], text: string): Promise<FieldIssue[]> {
    if (text === '') return [];
    const warnings: FieldIssue[] = [];
    for (const itemId of itemIds) {
      try {
        await itemsApi.setItemDescription(context, itemId, text);
      } catch (error) {
        warnings.push({
          path: 'description',
          message: `item ${itemId} was created but its description was not saved: ${asMlhError(error).message}`,
          code: 'description_not_saved',
        });
      }
    }
    return warnings;
  }

  function withWarnings(product: Product, warnings: FieldIssue[]): Product {
    return warnings.length > 0 ? { ...product, warnings } : product;
  }

  /** The modules' listing checks (the categories module's requirements), unless switched off. */
  async function checkRequirements(
    bodies: readonly MeliNewItem[],
    createOptions: CreateProductOptions,
  ): Promise<void> {
    if (createOptions.validateRequirements === false) return;
    for (const check of listingChecks) await check(ctx, bodies);
  }

  async function createProduct(input: Product, createOptions: CreateProductOptions = {}): Promise<Product> {
    if (createOptions.validateRequirements === true && listingChecks.length === 0) {
      throw new ValidationError(
        'Invalid createProduct options',
        [
          {
            path: 'validateRequirements',
            message: 'needs the categories module (meliCategories) to read the requirements',
          },
        ],
        { marketplace: 'meli' },
      );
    }
    const product = parseOrThrow(Product, input, 'product', { marketplace: 'meli' });
    const model = await listingModel();
    const site = await knownSiteId();
    const issues = validateMeliProduct(product, rules(model, site));
    if (issues.length > 0) {
      throw new ValidationError('Product cannot be listed on Mercado Livre', issues, { marketplace: 'meli' });
    }
    const fields = createOptions.marketplaceFields ?? {};
    const validate = options.validateBeforeCreate ?? 'multi-item';

    if (model === 'classic') {
      const body = productToClassicItem(product, listingDefaults, fields) as MeliNewItem;
      await checkRequirements([body], createOptions);
      if (validate === true) await itemsApi.validateItem(context, body);
      const created = await itemsApi.createItem(context, body);
      const warnings = await describeCreated([created.data.id], product.description);
      return withWarnings(
        mapMeliItem(created.data, { description: product.description, partial: created.partial }),
        warnings,
      );
    }

    const bodies = productToUserProductItems(product, listingDefaults, fields) as MeliNewItem[];
    await checkRequirements(bodies, createOptions);
    if (validate === true || (validate === 'multi-item' && bodies.length > 1)) {
      for (const body of bodies) await itemsApi.validateItem(context, body);
    }
    const created: MeliItem[] = [];
    for (const body of bodies) {
      try {
        created.push((await itemsApi.createItem(context, body)).data);
      } catch (error) {
        if (created.length === 0) throw error;
        throw new MeliPartialCreateError(
          created.map((item) => item.id),
          error,
        );
      }
    }
    const warnings = await describeCreated(
      created.map((item) => item.id),
      product.description,
    );
    return withWarnings(
      combineUserProductItems(created, { title: product.title, description: product.description }),
      warnings,
    );
  }

  async function updateDescriptions(itemIds: readonly string[], text: string, current: string | undefined) {
    if ((current ?? '') === text) return;
    for (const itemId of itemIds) await itemsApi.setItemDescription(context, itemId, text);
  }

  async function updateProduct(
    externalId: string,
    input: Product,
    updateOptions: CreateProductOptions = {},
  ): Promise<Product> {
    const product = parseOrThrow(Product, input, 'product', { marketplace: 'meli' });
    const current = (await itemsApi.getItem(context, externalId)).data;
    const model: MeliListingModel = isUserProductItem(current) ? 'user_products' : 'classic';
    const issues = validateMeliProduct(
      product,
      rules(model, options.siteId ?? current.site_id ?? undefined),
    ).filter((issue) => issue.path !== 'categoryId');
    // The listing's own currency is the authority: a price in another one would be misread.
    if (current.currency_id && product.price.currency !== current.currency_id) {
      if (!issues.some((issue) => issue.path === 'price.currency')) {
        issues.push({
          path: 'price.currency',
          message: `item ${current.id} sells in ${current.currency_id}, not ${product.price.currency}`,
        });
      }
    }
    const fields = updateOptions.marketplaceFields ?? {};

    if (model === 'classic') {
      if (issues.length > 0) {
        throw new ValidationError('Product cannot be listed on Mercado Livre', issues, {
          marketplace: 'meli',
        });
      }
      const plan = productToClassicUpdate(current, product);
      await itemsApi.updateItem(context, externalId, { ...plan.body, ...fields } as MeliItemUpdate, {
        idempotent: !plan.addsVariations,
      });
      await updateDescriptions([externalId], product.description, await descriptionOf(externalId));
      return getProduct(externalId);
    }

    const targets = product.variants.map((variant, index) => {
      const itemId =
        variant.externalId && ITEM_ID.test(variant.externalId)
          ? variant.externalId
          : product.variants.length === 1
            ? externalId
            : undefined;
      if (!itemId) {
        issues.push({
          path: `variants.${index}.externalId`,
          message: 'a new variant of a User Products listing is a new item: publish it with createProduct',
        });
      }
      return { index, itemId: itemId ?? '' };
    });
    if (issues.length > 0) {
      throw new ValidationError('Product cannot be listed on Mercado Livre', issues, { marketplace: 'meli' });
    }
    const items = await itemsApi.getItems(
      context,
      targets.map((target) => target.itemId),
      multiget,
    );
    const byId = new Map(items.items.map((item) => [item.id, item]));
    for (const target of targets) {
      const item = byId.get(target.itemId);
      if (!item) {
        throw new NotFoundError(`Mercado Livre item ${target.itemId} not found`, {
          marketplace: 'meli',
          status: 404,
        });
      }
      const body = {
        ...productToUserProductUpdate(item, product, target.index),
        ...fields,
      } as MeliItemUpdate;
      await itemsApi.updateItem(context, target.itemId, body, { idempotent: true });
    }
    const ids = targets.map((target) => target.itemId);
    await updateDescriptions(ids, product.description, await descriptionOf(externalId));
    const updated = await itemsApi.getItems(context, ids, multiget);
    return combineUserProductItems(updated.items, { title: product.title, description: product.description });
  }

  async function* listProducts(listOptions: ListProductsOptions = {}): AsyncGenerator<Product> {
    const statuses = asArray(listOptions.status);
    if (statuses) parseOrThrow(z.array(ProductStatus), statuses, 'listProducts status');
    const since = toTime(listOptions.updatedSince, 'updatedSince');
    const until = toTime(listOptions.updatedUntil, 'updatedUntil');
    const searchStatuses = statuses?.every((status) => ITEM_SEARCH_STATUSES[status] !== undefined)
      ? [...new Set(statuses.flatMap((status) => ITEM_SEARCH_STATUSES[status] ?? []))]
      : [undefined];
    const pageSize = Math.min(listOptions.pageSize ?? itemsApi.MELI_MULTIGET_MAX, itemsApi.MELI_MULTIGET_MAX);

    const accept = (product: Product): boolean => {
      if (statuses && !statuses.includes(product.status)) return false;
      const updated = product.updatedAt ? Date.parse(product.updatedAt) : undefined;
      if (since !== undefined && (updated === undefined || updated < since)) return false;
      if (until !== undefined && updated !== undefined && updated >= until) return false;
      return true;
    };

    // An item that changes status between two searches must come out once.
    const seen = new Set<string>();
    const pages = async function* (
      filters: itemsApi.MeliItemSearchFilters,
      keep: (product: Product) => boolean,
    ): AsyncGenerator<Product> {
      let batch: string[] = [];
      const flush = async () => {
        const products = await getProducts(batch);
        batch = [];
        return products.filter((product) => keep(product) && accept(product));
      };
      for await (const id of itemsApi.iterateSellerItemIds(context, accountId, filters)) {
        listOptions.signal?.throwIfAborted();
        if (seen.has(id)) continue;
        seen.add(id);
        batch.push(id);
        if (batch.length >= pageSize) yield* await flush();
      }
      if (batch.length > 0) yield* await flush();
    };

    // The search documents only some `status` values; one it refuses (`under_review`,
    // `payment_required`, ...) is found by one unfiltered search, kept by its raw status.
    const refused = new Set<string>();
    for (const status of searchStatuses) {
      const before = seen.size;
      try {
        yield* pages({ status }, () => true);
      } catch (error) {
        if (status === undefined || !(error instanceof ValidationError) || seen.size !== before) throw error;
        refused.add(status);
      }
    }
    if (refused.size > 0) yield* pages({}, (product) => refused.has(product.rawStatus ?? ''));
  }

  async function findProductsBySku(sku: string): Promise<Product[]> {
    if (!sku) throw new ValidationError('Invalid SKU', [{ path: 'sku', message: 'required' }]);
    // `seller_sku` finds the SELLER_SKU attribute, `sku` finds seller_custom_field: the two are not
    // linked, and a seller may keep the SKU in either.
    const ids = new Set<string>();
    for (const filter of [{ seller_sku: sku }, { sku }]) {
      for await (const id of itemsApi.iterateSellerItemIds(context, accountId, filter)) ids.add(id);
    }
    return getProducts([...ids]);
  }

  async function estimateCatalogRead(): Promise<CatalogReadEstimate> {
    // An unfiltered search of one id still answers the account's total.
    const page = await itemsApi.searchSellerItems(context, accountId, { offset: 0, limit: 1 });
    const listings = page.data.paging?.total ?? page.data.results.length;
    return {
      listings,
      calls: Math.max(
        1,
        Math.ceil(listings / itemsApi.MELI_ITEM_SEARCH_MAX_LIMIT) +
          Math.ceil(listings / itemsApi.MELI_MULTIGET_MAX),
      ),
    };
  }

  async function setProductStatus(externalId: string, status: SettableProductStatus): Promise<void> {
    const checked = parseOrThrow(SettableProductStatus, status, 'product status', { marketplace: 'meli' });
    await itemsApi.setItemStatus(context, externalId, MELI_ITEM_STATUS_FROM_PRODUCT[checked]);
  }

  function validateProduct(product: Product) {
    const parsed = Product.safeParse(product);
    if (!parsed.success) return toFieldIssues(parsed.error.issues);
    return validateMeliProduct(parsed.data, rules(knownListingModel(), options.siteId));
  }

  return {
    validateProduct,
    listProducts,
    getProduct,
    getProducts,
    findProductsBySku,
    estimateCatalogRead,
    createProduct,
    updateProduct,
    setProductStatus,
  };
}
