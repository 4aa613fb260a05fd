import { isRecord } from '../shared/index';
import { isMeliParentCategory } from './categories';
import type { ItemRecord, MeliContext } from './context';
import { cause, type MeliCause } from './errors';
import { meliSite, permalinkHost } from './sites';
import type {
  MeliAttribute,
  MeliItem,
  MeliPicture,
  MeliShippingMode,
  MeliUser,
  MeliVariation,
} from './types';

type JsonKind = 'String' | 'Number' | 'Integer' | 'Boolean' | 'Array' | 'Object';

const FIELD_TYPES: Record<string, JsonKind> = {
  title: 'String',
  family_name: 'String',
  category_id: 'String',
  price: 'Number',
  currency_id: 'String',
  available_quantity: 'Integer',
  buying_mode: 'String',
  listing_type_id: 'String',
  condition: 'String',
  pictures: 'Array',
  attributes: 'Array',
  sale_terms: 'Array',
  variations: 'Array',
  shipping: 'Object',
  channels: 'Array',
  tags: 'Array',
  seller_custom_field: 'String',
  video_id: 'String',
  official_store_id: 'Integer',
  status: 'String',
};

const BUYING_MODES = ['buy_it_now', 'classified', 'auction'];
const LISTING_TYPES = ['gold_pro', 'gold_special', 'gold_premium', 'gold', 'silver', 'bronze', 'free'];
const CONDITIONS = ['new', 'used', 'not_specified'];
const SHIPPING_MODES: readonly MeliShippingMode[] = ['me1', 'me2', 'custom', 'not_specified'];
const DEFAULT_MAX_TITLE = 60;
const DEFAULT_MAX_PICTURES = 12;
const TWENTY_YEARS_MS = 20 * 365 * 24 * 60 * 60 * 1000;

function kindOf(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  if (Array.isArray(value)) return 'Array';
  return 'Object';
}

function fitsKind(value: unknown, kind: JsonKind): boolean {
  switch (kind) {
    case 'String':
      return typeof value === 'string';
    case 'Number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Array':
      return Array.isArray(value);
    case 'Object':
      return isRecord(value);
  }
}

/**
 * Fields whose JSON type is wrong, in the wording of the `body.invalid_field_types` error the
 * reference quotes: `invalid property type: [price] expected Number but was String value: p`.
 */
export function typeErrors(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [field, kind] of Object.entries(FIELD_TYPES)) {
    const value = body[field];
    if (value === undefined || value === null || fitsKind(value, kind)) continue;
    const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
    errors.push(
      `invalid property type: [${field}] expected ${kind} but was ${kindOf(value)} value: ${shown}`,
    );
  }
  return errors;
}

export function isUserProductSeller(user: MeliUser): boolean {
  return user.tags.includes('user_product_seller');
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function required(field: string, causes: MeliCause[]): void {
  causes.push(cause(`item.${field}.required`, `The field ${field} is required.`, [`item.${field}`]));
}

function categoryCauses(context: MeliContext, siteId: string, categoryId: string): MeliCause[] {
  if (isMeliParentCategory(categoryId)) {
    return [
      cause('item.category_id.invalid', `Category ${categoryId} is not a leaf category.`, [
        'item.category_id',
      ]),
    ];
  }
  const known = [...context.state.categories.keys()].filter((id) => id.startsWith(siteId));
  const valid =
    known.length > 0 ? known.includes(categoryId) : new RegExp(`^${siteId}\\d+$`).test(categoryId);
  return valid
    ? []
    : [cause('item.category_id.invalid', `Category ${categoryId} does not exist.`, ['item.category_id'])];
}

function attributeCauses(value: unknown, path: string): MeliCause[] {
  if (!Array.isArray(value)) return [];
  const causes: MeliCause[] = [];
  value.forEach((entry, index) => {
    const ok =
      isRecord(entry) &&
      typeof entry.id === 'string' &&
      (present(entry.value_id) || present(entry.value_name) || isRecord(entry.value_struct));
    if (!ok) {
      causes.push(
        cause('item.attributes.invalid', 'Each attribute needs an id and a value_id or value_name.', [
          `${path}[${index}]`,
        ]),
      );
    }
  });
  return causes;
}

function pictureCauses(pictures: unknown, maxPictures: number): MeliCause[] {
  if (!Array.isArray(pictures)) return [];
  const causes: MeliCause[] = [];
  pictures.forEach((picture, index) => {
    const ok = isRecord(picture) && (typeof picture.source === 'string' || typeof picture.id === 'string');
    if (!ok) {
      causes.push(
        cause('item.pictures.invalid', 'Each picture needs a source URL or an id.', [
          `item.pictures[${index}]`,
        ]),
      );
    }
  });
  if (pictures.length > maxPictures) {
    causes.push(
      cause('item.pictures.max', `An item accepts at most ${maxPictures} pictures.`, ['item.pictures']),
    );
  }
  return causes;
}

function combinationKey(combinations: unknown): string {
  if (!Array.isArray(combinations)) return '';
  return combinations
    .filter(isRecord)
    .map((entry) => String(entry.id))
    .sort()
    .join('|');
}

function combinationValueKey(combinations: unknown): string {
  if (!Array.isArray(combinations)) return '';
  return combinations
    .filter(isRecord)
    .map((entry) => `${String(entry.id)}=${String(entry.value_id ?? entry.value_name ?? '')}`)
    .sort()
    .join('|');
}

/** Checks a whole list of variations (new and kept) against the legacy-model rules. */
function variationListCauses(
  context: MeliContext,
  variations: ReadonlyArray<Record<string, unknown>>,
  pictureRefs: ReadonlySet<string>,
): MeliCause[] {
  const causes: MeliCause[] = [];
  if (variations.length > context.limits.maxVariations) {
    causes.push(
      cause('item.variations.max', `An item accepts at most ${context.limits.maxVariations} variations.`, [
        'item.variations',
      ]),
    );
  }
  variations.forEach((variation, index) => {
    const path = `item.variations[${index}]`;
    const combinations = variation.attribute_combinations;
    if (!Array.isArray(combinations) || combinations.length === 0) {
      causes.push(
        cause('item.variations.invalid', 'Each variation needs attribute_combinations.', [
          `${path}.attribute_combinations`,
        ]),
      );
    } else {
      causes.push(...attributeCauses(combinations, `${path}.attribute_combinations`));
    }
    if (typeof variation.price !== 'number' || !(variation.price > 0)) {
      causes.push(
        cause('item.variations.invalid', 'Each variation needs a price above 0.', [`${path}.price`]),
      );
    }
    const quantity = variation.available_quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
      causes.push(
        cause('item.variations.invalid', 'Each variation needs a whole available_quantity.', [
          `${path}.available_quantity`,
        ]),
      );
    }
    causes.push(...attributeCauses(variation.attributes, `${path}.attributes`));
    const pictureIds = variation.picture_ids;
    if (
      Array.isArray(pictureIds) &&
      pictureIds.some((ref) => typeof ref !== 'string' || !pictureRefs.has(ref))
    ) {
      causes.push(
        cause('item.variations.picture_ids.invalid', 'Variation pictures must also be item pictures.', [
          `${path}.picture_ids`,
        ]),
      );
    }
  });
  const prices = new Set(variations.map((variation) => variation.price));
  if (prices.size > 1) {
    causes.push(
      cause('item.variations.price.invalid', 'All variations must have the same price.', ['item.variations']),
    );
  }
  const sets = new Set(variations.map((variation) => combinationKey(variation.attribute_combinations)));
  const values = new Set(
    variations.map((variation) => combinationValueKey(variation.attribute_combinations)),
  );
  if (sets.size > 1 || values.size < variations.length) {
    causes.push(
      cause(
        'item.variations.attribute_combinations.invalid',
        'Variations must use the same attributes, each with a different combination of values.',
        ['item.variations'],
      ),
    );
  }
  return causes;
}

/** Business validation of `POST /items` (and `/items/validate`) for this seller's listing model. */
export function createCauses(
  context: MeliContext,
  seller: MeliUser,
  body: Record<string, unknown>,
): MeliCause[] {
  const causes: MeliCause[] = [];
  const site = meliSite(seller.site_id);
  const userProducts = isUserProductSeller(seller);
  const variations = Array.isArray(body.variations) ? body.variations : [];
  if (userProducts) {
    if (body.title !== undefined) {
      causes.push(
        cause('item.title.not_allowed', 'title is generated for User Products sellers; send family_name.', [
          'item.title',
        ]),
      );
    }
    if (body.variations !== undefined) {
      causes.push(
        cause('item.variations.not_allowed', 'User Products sellers list each variant as its own item.', [
          'item.variations',
        ]),
      );
    }
    if (!present(body.family_name)) required('family_name', causes);
  } else {
    if (!present(body.title)) required('title', causes);
    if (!present(body.condition)) required('condition', causes);
  }
  for (const field of ['category_id', 'price', 'currency_id', 'buying_mode', 'listing_type_id']) {
    if (!present(body[field])) required(field, causes);
  }
  if (!present(body.available_quantity) && variations.length === 0) required('available_quantity', causes);
  if (!Array.isArray(body.pictures) || body.pictures.length === 0) required('pictures', causes);

  const categoryId = typeof body.category_id === 'string' ? body.category_id : undefined;
  const category = categoryId === undefined ? undefined : context.state.categories.get(categoryId);
  if (categoryId !== undefined) causes.push(...categoryCauses(context, site.id, categoryId));
  if (typeof body.title === 'string' && !userProducts) {
    const max = category?.maxTitleLength ?? DEFAULT_MAX_TITLE;
    if (body.title.length > max) {
      causes.push(
        cause('item.title.length.invalid', `The title is longer than ${max} characters.`, ['item.title']),
      );
    }
  }
  if (typeof body.price === 'number' && !(body.price > 0)) {
    causes.push(cause('item.price.invalid', 'The price must be greater than 0.', ['item.price']));
  }
  if (typeof body.currency_id === 'string' && body.currency_id !== site.currency) {
    causes.push(
      cause('item.currency_id.invalid', `Currency ${body.currency_id} is not accepted on ${site.id}.`, [
        'item.currency_id',
      ]),
    );
  }
  if (typeof body.available_quantity === 'number' && body.available_quantity < 0) {
    causes.push(
      cause('item.available_quantity.invalid', 'available_quantity cannot be negative.', [
        'item.available_quantity',
      ]),
    );
  }
  if (typeof body.buying_mode === 'string' && !BUYING_MODES.includes(body.buying_mode)) {
    causes.push(
      cause('item.buying_mode.invalid', `Invalid buying_mode ${body.buying_mode}.`, ['item.buying_mode']),
    );
  }
  if (typeof body.listing_type_id === 'string' && !LISTING_TYPES.includes(body.listing_type_id)) {
    causes.push(
      cause('item.listing_type_id.invalid', `Invalid listing_type_id ${body.listing_type_id}.`, [
        'item.listing_type_id',
      ]),
    );
  }
  if (typeof body.condition === 'string' && !CONDITIONS.includes(body.condition)) {
    causes.push(cause('item.condition.invalid', `Invalid condition ${body.condition}.`, ['item.condition']));
  }
  causes.push(...pictureCauses(body.pictures, category?.maxPictures ?? DEFAULT_MAX_PICTURES));
  causes.push(...attributeCauses(body.attributes, 'item.attributes'));
  causes.push(...shippingCauses(body.shipping));
  if (!userProducts && variations.length > 0) {
    causes.push(
      ...variationListCauses(context, variations.filter(isRecord), pictureReferences(body.pictures)),
    );
    if (variations.some((variation) => !isRecord(variation))) {
      causes.push(cause('item.variations.invalid', 'Each variation must be an object.', ['item.variations']));
    }
  }
  const missing = missingRequiredAttributes(category?.requiredAttributes ?? [], body);
  if (missing.length > 0) {
    causes.push(
      cause(
        'item.attributes.missing_required',
        `The attributes [${missing.join(', ')}] are required for category ${categoryId}.`,
        missing.map((id) => `item.attributes.${id}`),
      ),
    );
  }
  return causes;
}

function shippingCauses(shipping: unknown): MeliCause[] {
  if (!isRecord(shipping) || shipping.mode === undefined) return [];
  return SHIPPING_MODES.includes(shipping.mode as MeliShippingMode)
    ? []
    : [
        cause('item.shipping.mode.invalid', `Invalid shipping mode ${String(shipping.mode)}.`, [
          'item.shipping.mode',
        ]),
      ];
}

function missingRequiredAttributes(requiredIds: readonly string[], body: Record<string, unknown>): string[] {
  const given = new Set<string>();
  const collect = (list: unknown) => {
    if (Array.isArray(list)) for (const entry of list) if (isRecord(entry)) given.add(String(entry.id));
  };
  collect(body.attributes);
  if (Array.isArray(body.variations)) {
    for (const variation of body.variations) {
      if (!isRecord(variation)) continue;
      collect(variation.attributes);
      collect(variation.attribute_combinations);
    }
  }
  return requiredIds.filter((id) => !given.has(id));
}

function pictureReferences(pictures: unknown): Set<string> {
  const refs = new Set<string>();
  if (!Array.isArray(pictures)) return refs;
  for (const picture of pictures) {
    if (!isRecord(picture)) continue;
    if (typeof picture.source === 'string') refs.add(picture.source);
    if (typeof picture.id === 'string') refs.add(picture.id);
  }
  return refs;
}

function humanise(id: string): string {
  return id
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** An attribute in the API's output shape. */
export function normaliseAttribute(entry: Record<string, unknown>): MeliAttribute {
  const id = String(entry.id);
  const valueId = present(entry.value_id) ? String(entry.value_id) : null;
  const valueName = present(entry.value_name) ? String(entry.value_name) : null;
  const struct = isRecord(entry.value_struct)
    ? { number: Number(entry.value_struct.number), unit: String(entry.value_struct.unit) }
    : null;
  return {
    id,
    name: typeof entry.name === 'string' ? entry.name : humanise(id),
    value_id: valueId,
    value_name: valueName,
    value_struct: struct,
    values: [{ id: valueId, name: valueName, struct }],
    attribute_group_id: 'OTHERS',
    attribute_group_name: 'Outros',
    value_type: struct === null ? 'string' : 'number_unit',
  };
}

function normaliseAttributes(list: unknown): MeliAttribute[] {
  return Array.isArray(list) ? list.filter(isRecord).map(normaliseAttribute) : [];
}

interface PictureSet {
  pictures: MeliPicture[];
  /** Picture id by source URL and by id, to resolve a variation's `picture_ids`. */
  byReference: Map<string, string>;
}

function buildPictures(
  context: MeliContext,
  list: unknown,
  siteId: string,
  existing?: PictureSet,
): PictureSet {
  const byReference = new Map<string, string>();
  const pictures: MeliPicture[] = [];
  const stamp = new Date(context.clock.now());
  const monthYear = `${String(stamp.getUTCMonth() + 1).padStart(2, '0')}${stamp.getUTCFullYear()}`;
  for (const entry of Array.isArray(list) ? list.filter(isRecord) : []) {
    let id: string;
    if (typeof entry.id === 'string') {
      id = entry.id;
    } else {
      const source = String(entry.source);
      id =
        existing?.byReference.get(source) ??
        `${context.ids.picture.next()}-${siteId}${monthYear}_${monthYear}`;
      byReference.set(source, id);
    }
    byReference.set(id, id);
    const url = `http://http2.mlstatic.com/D_${id}-O.jpg`;
    pictures.push({
      id,
      url,
      secure_url: url.replace('http://', 'https://'),
      size: '500x500',
      max_size: '1200x1200',
      quality: '',
    });
  }
  return { pictures, byReference };
}

function pictureSetOf(item: MeliItem): PictureSet {
  const byReference = new Map(item.pictures.map((picture) => [picture.id, picture.id]));
  return { pictures: item.pictures, byReference };
}

function buildVariation(
  context: MeliContext,
  entry: Record<string, unknown>,
  pictures: PictureSet,
  siteId: string,
): MeliVariation {
  return {
    id: context.ids.variation.next(),
    price: Number(entry.price),
    attribute_combinations: normaliseAttributes(entry.attribute_combinations),
    available_quantity: Number(entry.available_quantity),
    sold_quantity: 0,
    sale_terms: Array.isArray(entry.sale_terms) ? entry.sale_terms : [],
    picture_ids: resolvePictureIds(entry.picture_ids, pictures),
    seller_custom_field: typeof entry.seller_custom_field === 'string' ? entry.seller_custom_field : null,
    attributes: normaliseAttributes(entry.attributes),
    catalog_product_id: null,
    inventory_id: null,
    item_relations: [],
    user_product_id: `${siteId}U${context.ids.userProduct.next()}`,
  };
}

function resolvePictureIds(list: unknown, pictures: PictureSet): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((ref) => {
    const id = typeof ref === 'string' ? pictures.byReference.get(ref) : undefined;
    return id === undefined ? [] : [id];
  });
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function generatedTitle(familyName: string, attributes: readonly MeliAttribute[]): string {
  const variant = attributes
    .filter((attribute) => ['COLOR', 'SIZE', 'VOLTAGE', 'MAIN_COLOR'].includes(attribute.id))
    .map((attribute) => attribute.value_name)
    .filter((value): value is string => value !== null);
  return [familyName, ...variant].join(' ');
}

function logisticTypeFor(mode: MeliShippingMode, requested: unknown): string | null {
  if (typeof requested === 'string') return requested;
  if (mode === 'me2') return 'drop_off';
  if (mode === 'me1') return 'default';
  return mode === 'custom' ? 'custom' : null;
}

/** Builds a new item from a validated `POST /items` body. */
export function buildItem(context: MeliContext, seller: MeliUser, body: Record<string, unknown>): MeliItem {
  const now = context.clock.now();
  const site = meliSite(seller.site_id);
  const number = context.ids.item.next();
  const id = `${site.id}${number}`;
  const userProducts = isUserProductSeller(seller);
  const pictures = buildPictures(context, body.pictures, site.id);
  const variations = userProducts
    ? []
    : (Array.isArray(body.variations) ? body.variations : [])
        .filter(isRecord)
        .map((entry) => buildVariation(context, entry, pictures, site.id));
  const attributes = normaliseAttributes(body.attributes);
  const familyName = userProducts ? String(body.family_name) : null;
  const title = familyName === null ? String(body.title) : generatedTitle(familyName, attributes);
  const price = variations[0]?.price ?? Number(body.price);
  const quantity =
    variations.length > 0
      ? variations.reduce((sum, variation) => sum + variation.available_quantity, 0)
      : Number(body.available_quantity);
  const shipping = isRecord(body.shipping) ? body.shipping : {};
  const mode = (shipping.mode as MeliShippingMode | undefined) ?? seller.defaultShippingMode;
  const date = context.date(now, site.id);
  const tags = new Set(['immediate_payment', 'cart_eligible']);
  if (userProducts) tags.add('user_product_listing');
  if (Array.isArray(body.tags)) for (const tag of body.tags) tags.add(String(tag));
  const item: MeliItem = {
    id,
    site_id: site.id,
    title,
    family_name: familyName,
    family_id: familyName === null ? null : familyId(context, seller.id, familyName),
    seller_id: seller.id,
    category_id: String(body.category_id),
    user_product_id: variations.length > 0 ? null : `${site.id}U${context.ids.userProduct.next()}`,
    official_store_id: typeof body.official_store_id === 'number' ? body.official_store_id : null,
    price,
    base_price: price,
    original_price: null,
    currency_id: String(body.currency_id),
    initial_quantity: quantity,
    available_quantity: quantity,
    sold_quantity: 0,
    sale_terms: Array.isArray(body.sale_terms) ? body.sale_terms : [],
    buying_mode: String(body.buying_mode),
    listing_type_id: String(body.listing_type_id),
    start_time: date,
    stop_time: context.date(now + TWENTY_YEARS_MS, site.id),
    condition: typeof body.condition === 'string' ? body.condition : 'new',
    permalink: `https://${permalinkHost(site)}/${site.id}-${number}-${slug(title)}-_JM`,
    thumbnail_id: pictures.pictures[0]?.id ?? null,
    thumbnail: pictures.pictures[0]?.url ?? null,
    pictures: pictures.pictures,
    video_id: typeof body.video_id === 'string' ? body.video_id : null,
    descriptions: [],
    accepts_mercadopago: true,
    shipping: {
      mode,
      logistic_type: logisticTypeFor(mode, shipping.logistic_type),
      local_pick_up: shipping.local_pick_up === true,
      free_shipping: shipping.free_shipping === true,
      methods: [],
      tags: [],
      dimensions: typeof shipping.dimensions === 'string' ? shipping.dimensions : null,
    },
    seller_address: { id: seller.id, country: { id: site.countryId } },
    attributes,
    variations,
    status: 'active',
    sub_status: [],
    tags: [...tags],
    warranty: null,
    catalog_product_id: null,
    catalog_listing: false,
    domain_id: null,
    seller_custom_field: typeof body.seller_custom_field === 'string' ? body.seller_custom_field : null,
    health: null,
    channels: Array.isArray(body.channels) ? body.channels.map(String) : ['marketplace'],
    date_created: date,
    last_updated: date,
  };
  settleStockStatus(item);
  return item;
}

function familyId(context: MeliContext, sellerId: number, familyName: string): number {
  const key = `${sellerId}:${familyName}`;
  const existing = context.state.families.get(key);
  if (existing !== undefined) return existing;
  const id = context.ids.family.next();
  context.state.families.set(key, id);
  return id;
}

/**
 * Keeps `status`/`sub_status` in line with stock: no stock pauses an active item as `out_of_stock`;
 * stock coming back reactivates only an item paused for that reason (a seller pause stays).
 */
export function settleStockStatus(item: MeliItem): void {
  if (item.variations.length > 0) {
    item.available_quantity = item.variations.reduce(
      (sum, variation) => sum + variation.available_quantity,
      0,
    );
    item.sold_quantity = item.variations.reduce((sum, variation) => sum + variation.sold_quantity, 0);
  }
  if (item.available_quantity === 0 && item.status === 'active') {
    item.status = 'paused';
    item.sub_status = ['out_of_stock'];
  } else if (
    item.available_quantity > 0 &&
    item.status === 'paused' &&
    item.sub_status.includes('out_of_stock')
  ) {
    item.status = 'active';
    item.sub_status = [];
  }
}

/**
 * Statuses from which `{"deleted":"true"}` is accepted: closed items, and the ones that cannot be
 * closed first (under review or forbidden, awaiting a payment).
 */
const DELETABLE_STATUSES = ['closed', 'under_review', 'payment_required'];

/** The outcome of applying a `PUT /items/{id}` body. */
export type ItemUpdateResult = { ok: true } | { ok: false; causes: MeliCause[] };

/** Applies a `PUT /items/{id}` body to a stored item, following the reference's update rules. */
export function updateItem(
  context: MeliContext,
  record: ItemRecord,
  seller: MeliUser,
  body: Record<string, unknown>,
): ItemUpdateResult {
  const item = record.item;
  const causes: MeliCause[] = [];
  const userProducts = isUserProductSeller(seller);
  const now = context.clock.now();
  const stamp = () => {
    record.updatedAt = now;
    item.last_updated = context.date(now, item.site_id);
  };

  if (item.sub_status.includes('deleted')) {
    return { ok: false, causes: [cause('item.status.invalid', 'The item was deleted.', ['item.status'])] };
  }
  if (body.deleted === true || body.deleted === 'true') {
    if (!DELETABLE_STATUSES.includes(item.status)) {
      return {
        ok: false,
        causes: [cause('item.status.invalid', 'Close the item before deleting it.', ['item.deleted'])],
      };
    }
    item.status = 'closed';
    item.sub_status = ['deleted'];
    stamp();
    return { ok: true };
  }

  const status = body.status;
  if (status !== undefined) {
    if (status !== 'active' && status !== 'paused' && status !== 'closed') {
      causes.push(cause('item.status.invalid', `Invalid status ${String(status)}.`, ['item.status']));
    } else if (item.status === 'closed' && status !== 'closed') {
      causes.push(
        cause('item.status.not_modifiable', 'A closed item cannot be reactivated; relist it.', [
          'item.status',
        ]),
      );
    } else if (item.status === 'payment_required' || item.status === 'under_review') {
      causes.push(
        cause(
          'item.status.not_modifiable',
          item.status === 'payment_required'
            ? 'The item awaits a payment: it reactivates once paid, and can only be deleted meanwhile.'
            : 'The item is under review: it can only be deleted.',
          ['item.status'],
        ),
      );
    }
  }
  if (body.title !== undefined) {
    if (userProducts) {
      causes.push(
        cause('item.title.not_modifiable', 'The title of a User Products item is generated.', ['item.title']),
      );
    } else if (item.sold_quantity > 0) {
      causes.push(
        cause('item.title.not_modifiable', 'The title of an item with sales cannot change.', ['item.title']),
      );
    } else if (typeof body.title === 'string' && body.title.length > titleLimit(context, item.category_id)) {
      causes.push(cause('item.title.length.invalid', 'The title is too long.', ['item.title']));
    }
  }
  if (body.family_name !== undefined && !userProducts) {
    causes.push(
      cause('item.family_name.not_allowed', 'family_name applies to User Products items only.', [
        'item.family_name',
      ]),
    );
  }
  if (body.listing_type_id !== undefined && body.listing_type_id !== item.listing_type_id) {
    causes.push(
      cause('item.listing_type_id.not_modifiable', 'Change the listing type through the upgrade flow.', [
        'item.listing_type_id',
      ]),
    );
  }
  if (typeof body.category_id === 'string' && body.category_id !== item.category_id) {
    if (item.sold_quantity > 0) {
      causes.push(
        cause('item.category_id.not_modifiable', 'The category of an item with sales cannot change.', [
          'item.category_id',
        ]),
      );
    } else {
      causes.push(...categoryCauses(context, item.site_id, body.category_id));
    }
  }
  if (typeof body.price === 'number' && !(body.price > 0)) {
    causes.push(cause('item.price.invalid', 'The price must be greater than 0.', ['item.price']));
  }
  if (typeof body.available_quantity === 'number') {
    if (item.variations.length > 0) {
      causes.push(
        cause(
          'item.available_quantity.invalid',
          'This item has variations: update the stock of each variation.',
          ['item.available_quantity'],
        ),
      );
    } else if (body.available_quantity < 0) {
      causes.push(
        cause('item.available_quantity.invalid', 'available_quantity cannot be negative.', [
          'item.available_quantity',
        ]),
      );
    } else if (
      body.available_quantity === 0 &&
      (item.condition !== 'new' || item.listing_type_id === 'free')
    ) {
      causes.push(
        cause(
          'item.available_quantity.invalid',
          'Only new items outside the free listing type can have 0 stock.',
          ['item.available_quantity'],
        ),
      );
    }
  }
  causes.push(...pictureCauses(body.pictures, DEFAULT_MAX_PICTURES));
  causes.push(...attributeCauses(body.attributes, 'item.attributes'));
  causes.push(...shippingCauses(body.shipping));

  const pictures = Array.isArray(body.pictures)
    ? buildPictures(context, body.pictures, item.site_id, pictureSetOf(item))
    : pictureSetOf(item);
  let variations: MeliVariation[] | undefined;
  if (body.variations !== undefined) {
    if (userProducts) {
      causes.push(
        cause('item.variations.not_allowed', 'User Products items have no variations.', ['item.variations']),
      );
    } else {
      const planned = planVariations(context, item, body, pictures, causes);
      variations = planned;
    }
  } else if (typeof body.price === 'number' && item.variations.length > 0) {
    variations = item.variations.map((variation) => ({ ...variation, price: body.price as number }));
  }
  if (causes.length > 0) return { ok: false, causes };

  if (typeof body.title === 'string') {
    item.title = body.title;
    item.permalink = item.permalink.replace(/-[^/]*-_JM$/, `-${slug(body.title)}-_JM`);
  }
  if (typeof body.family_name === 'string') {
    item.family_name = body.family_name;
    item.family_id = familyId(context, seller.id, body.family_name);
    item.title = generatedTitle(body.family_name, item.attributes);
  }
  if (typeof body.category_id === 'string') item.category_id = body.category_id;
  if (typeof body.price === 'number') {
    item.price = body.price;
    item.base_price = body.price;
  }
  if (Array.isArray(body.pictures)) {
    item.pictures = pictures.pictures;
    item.thumbnail_id = pictures.pictures[0]?.id ?? null;
    item.thumbnail = pictures.pictures[0]?.url ?? null;
  }
  if (variations !== undefined) {
    const kept = new Set(item.pictures.map((picture) => picture.id));
    item.variations = variations.map((variation) => ({
      ...variation,
      picture_ids: variation.picture_ids.filter((id) => kept.has(id)),
    }));
    if (item.variations[0] !== undefined) {
      item.price = item.variations[0].price;
      item.base_price = item.price;
    }
  }
  if (Array.isArray(body.attributes)) {
    const merged = new Map(item.attributes.map((attribute) => [attribute.id, attribute]));
    for (const attribute of normaliseAttributes(body.attributes)) merged.set(attribute.id, attribute);
    item.attributes = [...merged.values()];
  }
  if (isRecord(body.shipping)) {
    const mode = (body.shipping.mode as MeliShippingMode | undefined) ?? item.shipping.mode;
    item.shipping = {
      ...item.shipping,
      mode,
      logistic_type: logisticTypeFor(
        mode,
        body.shipping.logistic_type ??
          (mode === item.shipping.mode ? item.shipping.logistic_type : undefined),
      ),
      ...(typeof body.shipping.free_shipping === 'boolean'
        ? { free_shipping: body.shipping.free_shipping }
        : {}),
      ...(typeof body.shipping.local_pick_up === 'boolean'
        ? { local_pick_up: body.shipping.local_pick_up }
        : {}),
      ...(typeof body.shipping.dimensions === 'string' ? { dimensions: body.shipping.dimensions } : {}),
    };
  }
  if (Array.isArray(body.sale_terms)) item.sale_terms = body.sale_terms;
  if (typeof body.seller_custom_field === 'string') item.seller_custom_field = body.seller_custom_field;
  if (typeof body.video_id === 'string') item.video_id = body.video_id;
  if (Array.isArray(body.channels)) item.channels = body.channels.map(String);
  if (typeof body.available_quantity === 'number') item.available_quantity = body.available_quantity;

  if (status === 'closed') {
    item.status = 'closed';
    item.sub_status = [];
    item.stop_time = context.date(now, item.site_id);
  } else if (status === 'paused') {
    item.status = 'paused';
    item.sub_status = [];
  } else if (status === 'active') {
    item.status = 'active';
    item.sub_status = [];
  }
  settleStockStatus(item);
  stamp();
  return { ok: true };
}

function titleLimit(context: MeliContext, categoryId: string): number {
  return context.state.categories.get(categoryId)?.maxTitleLength ?? DEFAULT_MAX_TITLE;
}

function planVariations(
  context: MeliContext,
  item: MeliItem,
  body: Record<string, unknown>,
  pictures: PictureSet,
  causes: MeliCause[],
): MeliVariation[] {
  const entries = Array.isArray(body.variations) ? body.variations : [];
  const byId = new Map(item.variations.map((variation) => [variation.id, variation]));
  const named: MeliVariation[] = [];
  const created: Array<Record<string, unknown>> = [];
  entries.forEach((entry, index) => {
    if (!isRecord(entry)) {
      causes.push(
        cause('item.variations.invalid', 'Each variation must be an object.', [`item.variations[${index}]`]),
      );
      return;
    }
    if (entry.id === undefined) {
      created.push(entry);
      return;
    }
    const existing = typeof entry.id === 'number' ? byId.get(entry.id) : undefined;
    if (existing === undefined) {
      causes.push(
        cause('item.variations.id.invalid', `Variation ${String(entry.id)} does not belong to ${item.id}.`, [
          `item.variations[${index}].id`,
        ]),
      );
      return;
    }
    const quantity = entry.available_quantity;
    if (
      quantity !== undefined &&
      (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0)
    ) {
      causes.push(
        cause('item.variations.invalid', 'available_quantity must be a whole number from 0.', [
          `item.variations[${index}].available_quantity`,
        ]),
      );
    }
    if (entry.price !== undefined && (typeof entry.price !== 'number' || !(entry.price > 0))) {
      causes.push(
        cause('item.variations.invalid', 'price must be above 0.', [`item.variations[${index}].price`]),
      );
    }
    named.push({
      ...existing,
      ...(typeof entry.price === 'number' ? { price: entry.price } : {}),
      ...(typeof quantity === 'number' ? { available_quantity: quantity } : {}),
      ...(Array.isArray(entry.attribute_combinations)
        ? { attribute_combinations: normaliseAttributes(entry.attribute_combinations) }
        : {}),
      ...(Array.isArray(entry.attributes) ? { attributes: normaliseAttributes(entry.attributes) } : {}),
      ...(Array.isArray(entry.picture_ids)
        ? { picture_ids: resolvePictureIds(entry.picture_ids, pictures) }
        : {}),
      ...(typeof entry.seller_custom_field === 'string'
        ? { seller_custom_field: entry.seller_custom_field }
        : {}),
    });
  });
  const keepsOmitted =
    !context.behaviour.deleteOmittedVariations ||
    (context.behaviour.stockOnlyPutKeepsOmittedVariations && isStockOnlyPut(body));
  // Kept omitted variations stay where they were, the named ones updated in place.
  const updated = new Map(named.map((variation) => [variation.id, variation]));
  const kept = keepsOmitted
    ? item.variations.map((variation) => updated.get(variation.id) ?? variation)
    : named;
  const basePrice = typeof body.price === 'number' ? body.price : undefined;
  if (
    basePrice !== undefined &&
    entries.some((entry) => isRecord(entry) && typeof entry.price === 'number' && entry.price !== basePrice)
  ) {
    causes.push(
      cause('item.variations.price.invalid', 'All variations must have the same price.', ['item.variations']),
    );
  }
  const newOnes = created.map((entry) => ({
    ...entry,
    price: entry.price ?? basePrice ?? kept[0]?.price ?? item.price,
  }));
  const everything = [
    ...kept.map((variation) => ({
      attribute_combinations: variation.attribute_combinations,
      price: basePrice ?? variation.price,
      available_quantity: variation.available_quantity,
    })),
    ...newOnes,
  ];
  const refs = new Set(pictures.byReference.keys());
  causes.push(...variationListCauses(context, everything, refs));
  const built = newOnes.map((entry) => buildVariation(context, entry, pictures, item.site_id));
  return [...kept, ...built].map((variation) =>
    basePrice === undefined ? variation : { ...variation, price: basePrice },
  );
}

const STOCK_ONLY_VARIATION_KEYS = new Set(['id', 'available_quantity']);

/** A PUT whose body is `variations` alone, each naming an `id` and at most its stock. */
function isStockOnlyPut(body: Record<string, unknown>): boolean {
  const { variations } = body;
  return (
    Object.keys(body).every((key) => key === 'variations') &&
    Array.isArray(variations) &&
    variations.every(
      (entry) =>
        isRecord(entry) &&
        entry.id !== undefined &&
        Object.keys(entry).every((key) => STOCK_ONLY_VARIATION_KEYS.has(key)),
    )
  );
}

/**
 * The seller SKU of an item or one of its variations, in the order the reference gives: variation
 * SELLER_SKU, variation custom field, item SELLER_SKU, item custom field.
 */
export function sellerSkuOf(item: MeliItem, variation: MeliVariation | undefined): string | null {
  const skuIn = (attributes: readonly MeliAttribute[]) =>
    attributes.find((attribute) => attribute.id === 'SELLER_SKU')?.value_name ?? null;
  return (
    (variation === undefined ? null : (skuIn(variation.attributes) ?? variation.seller_custom_field)) ??
    skuIn(item.attributes) ??
    item.seller_custom_field
  );
}

/**
 * Every SKU an item answers to in `seller_sku` searches: the `SELLER_SKU` attribute of the item
 * and of each variation, nothing else (`seller_custom_field` is the `sku` filter's, and the two
 * fields are not linked).
 */
export function sellerSkus(item: MeliItem): string[] {
  const skuIn = (attributes: readonly MeliAttribute[]) =>
    attributes.find((attribute) => attribute.id === 'SELLER_SKU')?.value_name ?? null;
  const skus = [skuIn(item.attributes), ...item.variations.map((variation) => skuIn(variation.attributes))];
  return skus.filter((sku): sku is string => sku !== null);
}

/**
 * An item as `GET /items/{id}` and the multigets return it: variations come without their
 * `attributes` (where `SELLER_SKU` and `GTIN` live) unless the call asks `include_attributes=all`.
 */
export function withoutVariationAttributes<T extends { variations: MeliVariation[] }>(item: T): T {
  return {
    ...item,
    variations: item.variations.map(({ attributes: _omitted, ...variation }) => variation as MeliVariation),
  };
}

const PUBLIC_BUCKETS = [1, 50, 100, 150, 200, 250, 500, 5000, 50000, 99999];

function bucket(quantity: number): number {
  if (quantity <= 0) return 0;
  let shown = 1;
  for (const step of PUBLIC_BUCKETS) if (quantity >= step) shown = step;
  return shown;
}

/** What a token that does not own the item sees: bucketed quantities, no channels. */
export function publicView(item: MeliItem): Omit<MeliItem, 'channels'> {
  const { channels: _hidden, ...visible } = structuredClone(item);
  visible.available_quantity = bucket(item.available_quantity);
  visible.sold_quantity = bucket(item.sold_quantity);
  visible.variations = visible.variations.map((variation) => ({
    ...variation,
    available_quantity: bucket(variation.available_quantity),
    sold_quantity: bucket(variation.sold_quantity),
  }));
  return visible;
}
