import { intParam, isRecord, json, listParam, noContent, randomHex, readJson } from '../shared/index';
import type { ItemRecord, MeliContext } from './context';
import { badRequest, cause, forbidden, type MeliCause, meliError, notFound, validationError } from './errors';
import {
  buildItem,
  createCauses,
  publicView,
  sellerSkus,
  typeErrors,
  updateItem,
  withoutVariationAttributes,
} from './item-model';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';
import type { MeliDescription, MeliItem, MeliUser } from './types';

/** Why an item body was refused: wrong JSON types, or failed business rules. */
export type ItemRefusal = { kind: 'types'; errors: string[] } | { kind: 'validation'; causes: MeliCause[] };

/** Creates an item after the same checks `POST /items` makes; returns the refusal when it fails them. */
export function createItem(
  context: MeliContext,
  seller: MeliUser,
  body: Record<string, unknown>,
): { ok: true; record: ItemRecord } | { ok: false; refusal: ItemRefusal } {
  const refusal = checkBody(context, seller, body);
  if (refusal !== undefined) return { ok: false, refusal };
  const item = buildItem(context, seller, body);
  const now = context.clock.now();
  const record: ItemRecord = { item, createdAt: now, updatedAt: now };
  context.state.items.set(item.id, record);
  context.notify('items', `/items/${item.id}`, seller.id);
  return { ok: true, record };
}

function checkBody(
  context: MeliContext,
  seller: MeliUser,
  body: Record<string, unknown>,
): ItemRefusal | undefined {
  const errors = typeErrors(body);
  if (errors.length > 0) return { kind: 'types', errors };
  const causes = createCauses(context, seller, body);
  return causes.length > 0 ? { kind: 'validation', causes } : undefined;
}

/** The API's answer to a refused item body. */
export function refusalResponse(refusal: ItemRefusal): Response {
  return refusal.kind === 'types' ? invalidTypes(refusal.errors) : validationError(refusal.causes);
}

function invalidTypes(errors: readonly string[]): Response {
  return meliError(400, `[${errors.join(', ')}]`, 'body.invalid_field_types');
}

/**
 * The item as the caller may see it: in full to its owner, the public view to anyone else, and
 * variations without their `attributes` unless the call asked `include_attributes=all`.
 */
export function visibleItem(
  item: MeliItem,
  callerId: number,
  query?: URLSearchParams,
): Record<string, unknown> {
  const view = item.seller_id === callerId ? structuredClone(item) : publicView(item);
  const shown = query?.get('include_attributes') === 'all' ? view : withoutVariationAttributes(view);
  return shown as unknown as Record<string, unknown>;
}

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return source;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (field in source) picked[field] = source[field];
  return picked;
}

function descriptionJson(record: ItemRecord): MeliDescription | undefined {
  const description = record.description;
  if (description === undefined) return undefined;
  return {
    text: '',
    plain_text: description.plainText,
    last_updated: new Date(description.updatedAt).toISOString(),
    date_created: new Date(description.createdAt).toISOString(),
    snapshot: {
      url: `http://descriptions.mlstatic.com/D-${record.item.id}.jpg?hash=${description.updatedAt.toString(16)}`,
      width: 0,
      height: 0,
      status: '',
    },
  };
}

/** The index of the first HTML tag in a description, or -1: descriptions must be plain text. */
function firstMarkup(text: string): number {
  return text.search(/<\/?[a-zA-Z][^>]*>/);
}

/** The `status` values the seller item search documents (reference §3.7). */
const ITEM_SEARCH_STATUS_FILTERS = ['active', 'paused', 'closed', 'pending', 'not_yet_active', 'programmed'];

const ITEM_SORTS: Record<string, (item: MeliItem, record: ItemRecord) => number | string> = {
  stop_time: (item) => item.stop_time,
  start_time: (_item, record) => record.createdAt,
  available_quantity: (item) => item.available_quantity,
  price: (item) => item.price,
  last_updated: (_item, record) => record.updatedAt,
  inventory_id: (item) => item.id,
};

const AVAILABLE_ITEM_ORDERS = Object.keys(ITEM_SORTS).flatMap((field) =>
  field === 'inventory_id' ? [`${field}_asc`] : [`${field}_asc`, `${field}_desc`],
);

function sortItems(records: ItemRecord[], order: string): ItemRecord[] | undefined {
  const match = /^(.*)_(asc|desc)$/.exec(order);
  const key = match?.[1] === undefined ? undefined : ITEM_SORTS[match[1]];
  if (key === undefined || !AVAILABLE_ITEM_ORDERS.includes(order)) return undefined;
  const direction = match?.[2] === 'desc' ? -1 : 1;
  return [...records].sort((a, b) => {
    const x = key(a.item, a);
    const y = key(b.item, b);
    if (x === y) return a.createdAt - b.createdAt || a.item.id.localeCompare(b.item.id);
    return (x < y ? -1 : 1) * direction;
  });
}

export function itemHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  const { state } = context;

  async function readBody(request: Request): Promise<Record<string, unknown> | Response> {
    const read = await readJson(request);
    if (!read.ok || !isRecord(read.value))
      return badRequest('The body is not a valid JSON object', 'body.invalid');
    return read.value;
  }

  function ownedItem(input: AuthedInput): ItemRecord | Response {
    const record = state.items.get(input.params.id ?? '');
    if (record === undefined) return notFound(`Item with id ${input.params.id} not found`);
    if (record.item.seller_id !== input.token.userId) return forbidden();
    return record;
  }

  function multiget(input: AuthedInput, bulk: boolean): Response {
    const ids = listParam(input.query, 'ids');
    if (ids.length === 0) return badRequest('The ids parameter is required');
    if (ids.length > context.limits.multigetMaxIds) {
      return badRequest(`The ids parameter accepts at most ${context.limits.multigetMaxIds} ids`);
    }
    const fields = listParam(input.query, 'attributes');
    // `/items/bulk` names the item's fields `body.<field>` (reference §3.8); a bare name there is
    // a field of the element itself (`id`, `status_code`, `body`), not of the item.
    const itemFields = bulk
      ? fields.filter((field) => field.startsWith('body.')).map((field) => field.slice('body.'.length))
      : fields;
    const elementFields = bulk ? fields.filter((field) => !field.startsWith('body.')) : [];
    return json(
      ids.map((id) => {
        const record = state.items.get(id);
        const status = record === undefined ? 404 : 200;
        const body =
          record === undefined
            ? { message: `Item with id ${id} not found`, error: 'not_found', status: 404, cause: [] }
            : pick(visibleItem(record.item, input.token.userId, input.query), itemFields);
        if (!bulk) return { code: status, body };
        const element = { id, status_code: status, body };
        if (elementFields.length === 0) return element;
        return pick(element, itemFields.length > 0 ? [...elementFields, 'body'] : elementFields);
      }),
    );
  }

  return [
    router.api('post', '/items/validate', async (input) => {
      const body = await readBody(input.request);
      if (body instanceof Response) return body;
      const refusal = checkBody(context, input.user, body);
      return refusal === undefined ? noContent() : refusalResponse(refusal);
    }),

    router.api('post', '/items', async (input) => {
      const body = await readBody(input.request);
      if (body instanceof Response) return body;
      const created = createItem(context, input.user, body);
      return created.ok
        ? json(structuredClone(created.record.item), { status: 201 })
        : refusalResponse(created.refusal);
    }),

    router.api('get', '/items/bulk', (input) => multiget(input, true)),
    router.api('get', '/items', (input) => multiget(input, false)),

    router.api('get', '/items/:id', (input) => {
      const record = state.items.get(input.params.id ?? '');
      if (record === undefined) return notFound(`Item with id ${input.params.id} not found`);
      return json(
        pick(visibleItem(record.item, input.token.userId, input.query), listParam(input.query, 'attributes')),
      );
    }),

    router.api('put', '/items/:id', async (input) => {
      const record = ownedItem(input);
      if (record instanceof Response) return record;
      const body = await readBody(input.request);
      if (body instanceof Response) return body;
      const types = typeErrors(body);
      if (types.length > 0) return invalidTypes(types);
      const result = updateItem(context, record, input.user, body);
      if (!result.ok) return validationError(result.causes);
      context.notify('items', `/items/${record.item.id}`, record.item.seller_id);
      return json(structuredClone(record.item));
    }),

    router.api('get', '/items/:id/description', (input) => {
      const record = state.items.get(input.params.id ?? '');
      if (record === undefined) return notFound(`Item with id ${input.params.id} not found`);
      const description = descriptionJson(record);
      return description === undefined
        ? notFound(`Description of item ${record.item.id} not found`)
        : json(description);
    }),

    ...(['post', 'put'] as const).map((method) =>
      router.api(method, '/items/:id/description', async (input) => {
        const record = ownedItem(input);
        if (record instanceof Response) return record;
        const body = await readBody(input.request);
        if (body instanceof Response) return body;
        if (typeof body.plain_text !== 'string') {
          return meliError(
            400,
            '[invalid property type: [plain_text] expected String]',
            'body.invalid_field_types',
          );
        }
        if (method === 'post' && record.description !== undefined) {
          return validationError([
            cause('item.description.already_exists', 'The item already has a description; use PUT.', [
              'plain_text',
            ]),
          ]);
        }
        const markup = firstMarkup(body.plain_text);
        if (markup >= 0) {
          return validationError([
            cause('item.description.type.invalid', 'The description must be in plain text', [
              `plain_text[${markup}]`,
            ]),
          ]);
        }
        const now = context.clock.now();
        record.description = {
          plainText: body.plain_text,
          createdAt: record.description?.createdAt ?? now,
          updatedAt: now,
        };
        context.notify('items', `/items/${record.item.id}`, record.item.seller_id);
        return json(descriptionJson(record), { status: method === 'post' ? 201 : 200 });
      }),
    ),

    router.api('get', '/users/:userId/items/search', (input) => {
      const sellerId = Number(input.params.userId);
      if (sellerId !== input.token.userId) return forbidden();
      const { query } = input;
      const limit = intParam(query, 'limit') ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > context.limits.itemSearchMaxLimit) {
        return badRequest(`limit must be between 1 and ${context.limits.itemSearchMaxLimit}`);
      }
      const offset = intParam(query, 'offset') ?? 0;
      if (!Number.isInteger(offset) || offset < 0) return badRequest('offset must be a whole number from 0');
      const order = query.get('orders') ?? 'stop_time_asc';
      const now = context.clock.now();

      const scrollId = query.get('scroll_id');
      if (scrollId !== null && scrollId !== '') {
        const scroll = state.scrolls.get(scrollId);
        if (scroll === undefined || scroll.userId !== sellerId || scroll.expiresAt <= now) {
          return badRequest('scroll_id is invalid or expired', 'invalid_scroll_id');
        }
        const results = scroll.ids.slice(scroll.position, scroll.position + limit);
        scroll.position += results.length;
        scroll.expiresAt = now + context.limits.scrollTtlMs;
        return json(searchBody(sellerId, { limit, total: scroll.ids.length }, results, order, scrollId));
      }

      const statuses = listParam(query, 'status');
      const unlisted = statuses.filter((status) => !ITEM_SEARCH_STATUS_FILTERS.includes(status));
      if (unlisted.length > 0 && !context.behaviour.itemSearchAcceptsAnyStatus) {
        return badRequest(`Invalid status filter ${unlisted.join(',')}`);
      }
      const subStatuses = listParam(query, 'sub_status');
      const sellerSku = query.get('seller_sku');
      const sku = query.get('sku');
      const listingType = query.get('listing_type_id');
      const buyingMode = query.get('buying_mode');
      const shippingMode = query.get('shipping_mode');
      const logisticType = query.get('logistic_type');
      const matching = [...state.items.values()].filter(({ item }) => {
        if (item.seller_id !== sellerId || item.sub_status.includes('deleted')) return false;
        if (statuses.length > 0 && !statuses.includes(item.status)) return false;
        if (subStatuses.length > 0 && !item.sub_status.some((entry) => subStatuses.includes(entry)))
          return false;
        if (sellerSku !== null && !sellerSkus(item).includes(sellerSku)) return false;
        if (
          sku !== null &&
          item.seller_custom_field !== sku &&
          !item.variations.some((variation) => variation.seller_custom_field === sku)
        ) {
          return false;
        }
        if (listingType !== null && item.listing_type_id !== listingType) return false;
        if (buyingMode !== null && item.buying_mode !== buyingMode) return false;
        if (shippingMode !== null && item.shipping.mode !== shippingMode) return false;
        if (logisticType !== null && item.shipping.logistic_type !== logisticType) return false;
        return true;
      });
      const sorted = sortItems(matching, order);
      if (sorted === undefined) return badRequest(`Invalid orders value ${order}`);
      const ids = sorted.map(({ item }) => item.id);

      if (query.get('search_type') === 'scan') {
        const id = `${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`;
        const results = ids.slice(0, limit);
        state.scrolls.set(id, {
          userId: sellerId,
          ids,
          position: results.length,
          expiresAt: now + context.limits.scrollTtlMs,
        });
        return json(searchBody(sellerId, { limit, total: ids.length }, results, order, id));
      }

      const cap = context.limits.itemSearchOffsetCap;
      if (offset >= cap) {
        return badRequest(
          `offset cannot reach ${cap}: page with search_type=scan and scroll_id to read more results`,
        );
      }
      const results = ids.slice(offset, Math.min(offset + limit, cap));
      const body = searchBody(sellerId, { limit, offset, total: ids.length }, results, order);
      if (query.get('include_filters') === 'true') {
        Object.assign(body, { filters: [], available_filters: [] });
      }
      return json(body);
    }),
  ];
}

function searchBody(
  sellerId: number,
  paging: { limit: number; offset?: number; total: number },
  results: string[],
  order: string,
  scrollId?: string,
): Record<string, unknown> {
  return {
    seller_id: String(sellerId),
    query: null,
    paging,
    results,
    orders: [{ id: order, name: order.replace(/_/g, ' ') }],
    available_orders: AVAILABLE_ITEM_ORDERS.map((id) => ({ id, name: id.replace(/_/g, ' ') })),
    ...(scrollId === undefined ? {} : { scroll_id: scrollId }),
  };
}
