import { json } from '../shared/index';
import type { MeliContext } from './context';
import { meliError, notFound } from './errors';
import type { MeliRoute, MeliRouter } from './router';
import { MELI_SITES } from './sites';
import type { MeliCategory } from './types';

/**
 * The sandbox's category tree, the same on every site with the site's prefix on each id (`MLB1234`,
 * `MLA1234`), named in Portuguese on MLB and in Spanish elsewhere. Categories registered with
 * `addCategory` are served too, as leaves with their settings.
 */
export interface MeliTreeNode {
  /** The id without the site prefix. */
  suffix: string;
  /** Parent's suffix; absent for a top-level category. */
  parent?: string;
  pt: string;
  es: string;
  /** Leaves only: the catalog domain, without the site prefix. */
  domain?: { id: string; pt: string; es: string };
  /** Leaves only: title words the predictor maps here. */
  keywords?: readonly string[];
}

/** The tree; `1234` (mugs) and `1055` (phones) are the leaves the sandbox's items use. */
export const MELI_SANDBOX_TREE: readonly MeliTreeNode[] = Object.freeze([
  { suffix: '1574', pt: 'Casa, Móveis e Decoração', es: 'Hogar, Muebles y Jardín' },
  { suffix: '436380', parent: '1574', pt: 'Cozinha', es: 'Cocina' },
  {
    suffix: '1234',
    parent: '436380',
    pt: 'Canecas',
    es: 'Tazas',
    domain: { id: 'MUGS', pt: 'Canecas', es: 'Tazas' },
    keywords: ['caneca', 'canecas', 'taza', 'tazas', 'xícara', 'mug'],
  },
  {
    suffix: '436381',
    parent: '436380',
    pt: 'Garrafas Térmicas',
    es: 'Termos',
    domain: { id: 'THERMOSES', pt: 'Garrafas térmicas', es: 'Termos' },
    keywords: ['garrafa', 'térmica', 'termica', 'termo', 'squeeze'],
  },
  { suffix: '1051', pt: 'Celulares e Telefones', es: 'Celulares y Teléfonos' },
  {
    suffix: '1055',
    parent: '1051',
    pt: 'Celulares e Smartphones',
    es: 'Celulares y Smartphones',
    domain: { id: 'CELLPHONES', pt: 'Celulares e smartphones', es: 'Celulares y smartphones' },
    keywords: ['celular', 'smartphone', 'iphone', 'galaxy', 'telefone', 'teléfono'],
  },
  { suffix: '1430', pt: 'Calçados, Roupas e Bolsas', es: 'Ropa, Bolsas y Calzado' },
  {
    suffix: '31447',
    parent: '1430',
    pt: 'Camisetas e Blusas',
    es: 'Remeras y Blusas',
    domain: { id: 'T_SHIRTS', pt: 'Camisetas', es: 'Remeras' },
    keywords: ['camiseta', 'camisetas', 'blusa', 'remera', 'camisa'],
  },
]);

/** Brands the predictor recognises in a title (returned as an inferred BRAND value). */
const BRANDS: Readonly<Record<string, string>> = { acme: '276243', tramontina: '9344', samsung: '206' };

const bySuffix = new Map(MELI_SANDBOX_TREE.map((node) => [node.suffix, node]));

function split(categoryId: string): { site: string; node: MeliTreeNode } | undefined {
  const site = categoryId.slice(0, 3);
  const node = bySuffix.get(categoryId.slice(3));
  return MELI_SITES.has(site) && node ? { site, node } : undefined;
}

/** True for a category of the sandbox tree that has children: items cannot be listed there. */
export function isMeliParentCategory(categoryId: string): boolean {
  const found = split(categoryId);
  return found !== undefined && MELI_SANDBOX_TREE.some((node) => node.parent === found.node.suffix);
}

const nameIn = (site: string, node: { pt: string; es: string }) => (site === 'MLB' ? node.pt : node.es);

function chain(node: MeliTreeNode): MeliTreeNode[] {
  const nodes: MeliTreeNode[] = [];
  for (
    let current: MeliTreeNode | undefined = node;
    current;
    current = current.parent ? bySuffix.get(current.parent) : undefined
  ) {
    nodes.unshift(current);
  }
  return nodes;
}

function settings(
  site: string,
  node: MeliTreeNode | undefined,
  registered: MeliCategory | undefined,
  leaf: boolean,
) {
  return {
    listing_allowed: leaf,
    status: 'enabled',
    catalog_domain: node?.domain ? `${site}-${node.domain.id}` : null,
    max_title_length: registered?.maxTitleLength ?? 60,
    max_pictures_per_item: registered?.maxPictures ?? 12,
    max_pictures_per_item_var: 10,
    max_description_length: 50000,
    max_variations_allowed: 100,
    item_conditions: ['new', 'used', 'not_specified'],
    buying_modes: ['buy_it_now'],
    currencies: [MELI_SITES.get(site)?.currency ?? 'BRL'],
    shipping_modes: ['me2', 'custom', 'not_specified'],
    immediate_payment: 'required',
  };
}

/** `GET /categories/{id}` for a tree category or a registered one; `undefined` when unknown. */
export function renderMeliCategory(
  context: MeliContext,
  categoryId: string,
): Record<string, unknown> | undefined {
  const found = split(categoryId);
  const registered = context.state.categories.get(categoryId);
  if (found === undefined) {
    if (registered === undefined) return undefined;
    const ref = { id: categoryId, name: registered.name ?? categoryId };
    return {
      ...ref,
      picture: null,
      permalink: null,
      total_items_in_this_category: itemCount(context, categoryId),
      path_from_root: [ref],
      children_categories: [],
      attribute_types: 'attributes',
      settings: settings(categoryId.slice(0, 3), undefined, registered, true),
      channels_settings: [],
    };
  }
  const { site, node } = found;
  const children = MELI_SANDBOX_TREE.filter((candidate) => candidate.parent === node.suffix);
  return {
    id: categoryId,
    name: nameIn(site, node),
    picture: null,
    permalink: null,
    total_items_in_this_category: itemCount(context, categoryId),
    path_from_root: chain(node).map((step) => ({ id: `${site}${step.suffix}`, name: nameIn(site, step) })),
    children_categories: children.map((child) => ({
      id: `${site}${child.suffix}`,
      name: nameIn(site, child),
      total_items_in_this_category: itemCount(context, `${site}${child.suffix}`),
    })),
    attribute_types: children.length === 0 ? 'variations' : 'none',
    settings: settings(site, node, registered, children.length === 0),
    channels_settings: [],
  };
}

function itemCount(context: MeliContext, categoryId: string): number {
  let count = 0;
  for (const record of context.state.items.values()) if (record.item.category_id === categoryId) count += 1;
  return count;
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== ''),
  );
}

/** Category routes: predictor, top level, one category, the site dump. */
export function categoryHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  return [
    router.api('get', '/sites/:site/domain_discovery/search', ({ params, query }) => {
      const site = params.site as string;
      const q = query.get('q') ?? '';
      if (!MELI_SITES.has(site) || q.trim() === '') {
        // The documented non-standard body: `cause` is a string, plus `cause_list`.
        return json(
          {
            message: 'Site ID or Query is empty',
            error: 'bad_request',
            status: 400,
            cause: 'query',
            cause_list: [],
          },
          { status: 400 },
        );
      }
      const rawLimit = query.get('limit');
      const limit = rawLimit === null ? 4 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 8) {
        return meliError(400, 'bad_request', 'limit must be between 1 and 8');
      }
      const given = words(q);
      const brand = Object.keys(BRANDS).find((name) => given.has(name));
      const ranked = MELI_SANDBOX_TREE.filter((node) => node.domain)
        .map((node) => ({ node, score: (node.keywords ?? []).filter((word) => given.has(word)).length }))
        .filter((entry) => entry.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
      return json(
        ranked.map(({ node }) => ({
          domain_id: `${site}-${node.domain?.id}`,
          domain_name: nameIn(site, node.domain as { pt: string; es: string }),
          category_id: `${site}${node.suffix}`,
          category_name: nameIn(site, node),
          attributes: brand
            ? [
                {
                  id: 'BRAND',
                  name: site === 'MLB' ? 'Marca' : 'Marca',
                  value_id: BRANDS[brand],
                  value_name: brand[0]?.toUpperCase() + brand.slice(1),
                },
              ]
            : [],
        })),
      );
    }),

    router.api('get', '/sites/:site/categories', ({ params }) => {
      const site = params.site as string;
      if (!MELI_SITES.has(site)) return notFound(`Site ${site} not found`);
      return json(
        MELI_SANDBOX_TREE.filter((node) => node.parent === undefined).map((node) => ({
          id: `${site}${node.suffix}`,
          name: nameIn(site, node),
        })),
      );
    }),

    router.api('get', '/sites/:site/categories/all', ({ params }) => {
      const site = params.site as string;
      if (!MELI_SITES.has(site)) return notFound(`Site ${site} not found`);
      const ids = [
        ...MELI_SANDBOX_TREE.map((node) => `${site}${node.suffix}`),
        ...[...context.state.categories.keys()].filter((id) => id.startsWith(site) && !split(id)),
      ];
      const dump: Record<string, unknown> = {};
      for (const id of ids) dump[id] = renderMeliCategory(context, id);
      return json(dump, { headers: { 'x-content-created': new Date(context.clock.now()).toISOString() } });
    }),

    router.api('get', '/categories/:id', ({ params }) => {
      const category = renderMeliCategory(context, params.id as string);
      return category === undefined ? notFound(`Category ${params.id} not found`) : json(category);
    }),
  ];
}

/** An attribute definition as `GET /categories/{id}/attributes` sends it. */
function attribute(
  id: string,
  name: string,
  valueType: string,
  tags: Record<string, boolean>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, name, value_type: valueType, tags, hierarchy: 'PARENT_PK', relevance: 1, ...extra };
}

const PACKAGE = (['HEIGHT', 'WIDTH', 'LENGTH'] as const).map((side) =>
  attribute(
    `SELLER_PACKAGE_${side}`,
    `Package ${side.toLowerCase()}`,
    'number_unit',
    {},
    {
      allowed_units: [{ id: 'cm', name: 'cm' }],
      default_unit: 'cm',
    },
  ),
);

/**
 * The attributes of a leaf: brand, model, GTIN with its empty reason, package dimensions and, on
 * variation leaves, colour. A category registered with `addCategory({ requiredAttributes })`
 * tags those `required`, the same ones item creation enforces.
 */
export function meliCategoryAttributes(context: MeliContext, categoryId: string): Record<string, unknown>[] {
  const required = new Set(context.state.categories.get(categoryId)?.requiredAttributes ?? []);
  const tags = (id: string, base: Record<string, boolean> = {}) =>
    required.has(id) ? { ...base, required: true } : base;
  const list: Record<string, unknown>[] = [
    attribute('BRAND', 'Marca', 'string', tags('BRAND'), {
      values: [
        { id: '276243', name: 'Acme' },
        { id: '9344', name: 'Tramontina' },
      ],
    }),
    attribute('MODEL', 'Modelo', 'string', tags('MODEL')),
    attribute(
      'GTIN',
      'Código universal de produto',
      'string',
      tags('GTIN', {
        conditional_required: true,
        multivalued: true,
        variation_attribute: true,
      }),
    ),
    attribute(
      'EMPTY_GTIN_REASON',
      'Motivo de GTIN vazio',
      'list',
      tags('EMPTY_GTIN_REASON', {
        conditional_required: true,
      }),
      {
        values: [
          { id: '17055158', name: 'Artesanal' },
          { id: '17055159', name: 'Kit' },
          { id: '17055160', name: 'O produto não tem código cadastrado' },
          { id: '17055161', name: 'Outro motivo' },
        ],
      },
    ),
    attribute('COLOR', 'Cor', 'string', tags('COLOR', { allow_variations: true, defines_picture: true })),
    attribute('ITEM_CONDITION', 'Condição do item', 'list', tags('ITEM_CONDITION', { read_only: true }), {
      values: [
        { id: '2230284', name: 'Novo' },
        { id: '2230581', name: 'Usado' },
      ],
    }),
    ...PACKAGE.map((entry) => ({ ...entry, tags: tags(String(entry.id)) })),
  ];
  const known = new Set(list.map((entry) => String(entry.id)));
  for (const id of required) if (!known.has(id)) list.push(attribute(id, id, 'string', { required: true }));
  return list;
}

/** `GET /categories/{id}/attributes`: a leaf's attributes; a parent category has none. */
export function categoryAttributeHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  return [
    router.api('get', '/categories/:id/attributes', ({ params }) => {
      const id = params.id as string;
      if (renderMeliCategory(context, id) === undefined) return notFound(`Category ${id} not found`);
      return json(isMeliParentCategory(id) ? [] : meliCategoryAttributes(context, id));
    }),
  ];
}
