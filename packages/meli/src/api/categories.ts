import { ValidationError } from '@mlh/core';
import {
  MeliCategory,
  type MeliCategoryAttribute,
  MeliCategoryAttributes,
  MeliCategoryDump,
  type MeliCategoryRef,
  MeliDomainDiscovery,
  type MeliDomainGuess,
  MeliSiteCategories,
} from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/** Query of {@link discoverDomains}. */
export interface DomainDiscoveryQuery {
  /** The product title, in the site's language (Portuguese on MLB, Spanish elsewhere). */
  q: string;
  /** 1–8; Mercado Livre's default is 4 and its docs recommend 3 so the seller can choose. */
  limit?: number | undefined;
  /** `core` (products) or `classified` (vehicles, real estate, services). */
  target?: 'core' | 'classified' | undefined;
}

/** Most guesses `domain_discovery` gives. */
export const MELI_DOMAIN_DISCOVERY_MAX = 8;

/**
 * The category predictor, `GET /sites/{site}/domain_discovery/search`: title → domain and
 * category guesses, best first. Re-read the category before listing: only an enabled leaf takes items.
 */
export async function discoverDomains(
  context: MeliContext,
  siteId: string,
  query: DomainDiscoveryQuery,
): Promise<MeliResponse<MeliDomainGuess[]>> {
  assertMeliId(siteId, 'siteId');
  const issues = [
    ...(typeof query.q !== 'string' || query.q.trim() === '' ? [{ path: 'q', message: 'required' }] : []),
    ...(query.limit !== undefined &&
    (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MELI_DOMAIN_DISCOVERY_MAX)
      ? [{ path: 'limit', message: `an integer from 1 to ${MELI_DOMAIN_DISCOVERY_MAX}` }]
      : []),
  ];
  if (issues.length > 0) {
    throw new ValidationError('Invalid domain discovery query', issues, { marketplace: 'meli' });
  }
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/sites/${siteId}/domain_discovery/search`,
      query: { q: query.q, limit: query.limit, target: query.target },
      operation: 'categories.domainDiscovery',
    },
    MeliDomainDiscovery,
  );
}

/** The top level of a site's tree: `GET /sites/{site}/categories`. */
export async function getSiteCategories(
  context: MeliContext,
  siteId: string,
): Promise<MeliResponse<MeliCategoryRef[]>> {
  assertMeliId(siteId, 'siteId');
  return callMeli(
    context,
    { method: 'GET', path: `/sites/${siteId}/categories`, operation: 'categories.site' },
    MeliSiteCategories,
  );
}

/** One category with its path, children and settings: `GET /categories/{id}`. */
export async function getCategory(
  context: MeliContext,
  categoryId: string,
): Promise<MeliResponse<MeliCategory>> {
  assertMeliId(categoryId, 'categoryId');
  return callMeli(
    context,
    { method: 'GET', path: `/categories/${categoryId}`, operation: 'categories.get' },
    MeliCategory,
  );
}

/**
 * The whole tree of a site in one (large, gzip-encoded) response: `GET /sites/{site}/categories/all`.
 * Cache it: its `X-Content-Created` and `X-Content-MD5` headers say when it changed.
 */
export async function getCategoryDump(
  context: MeliContext,
  siteId: string,
): Promise<MeliResponse<MeliCategory[]>> {
  assertMeliId(siteId, 'siteId');
  const response = await callMeli(
    context,
    { method: 'GET', path: `/sites/${siteId}/categories/all`, operation: 'categories.all' },
    MeliCategoryDump,
  );
  const data = Array.isArray(response.data) ? response.data : Object.values(response.data);
  return { ...response, data };
}

/** A category's attribute definitions with their tags (`required`, `conditional_required`...): `GET /categories/{id}/attributes`. */
export async function getCategoryAttributes(
  context: MeliContext,
  categoryId: string,
): Promise<MeliResponse<MeliCategoryAttribute[]>> {
  assertMeliId(categoryId, 'categoryId');
  return callMeli(
    context,
    { method: 'GET', path: `/categories/${categoryId}/attributes`, operation: 'categories.attributes' },
    MeliCategoryAttributes,
  );
}
