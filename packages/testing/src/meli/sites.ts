/** What the sandbox needs to know about a Mercado Livre site (country). */
export interface MeliSite {
  id: string;
  countryId: string;
  currency: string;
  /** Host of the authorization page (the token endpoint is the same for every site). */
  authHost: string;
  /** Local UTC offset used to print dates, in minutes. */
  utcOffsetMinutes: number;
  /** `payload.service_id` of ME1 seller notifications, where the reference gives one. */
  me1ServiceId?: number;
}

/** The API host every site shares. */
export const MELI_API_HOST = 'api.mercadolibre.com';
/** The API base URL every site shares. */
export const MELI_API_BASE = `https://${MELI_API_HOST}`;

const table: readonly MeliSite[] = [
  {
    id: 'MLA',
    countryId: 'AR',
    currency: 'ARS',
    authHost: 'auth.mercadolibre.com.ar',
    utcOffsetMinutes: -180,
    me1ServiceId: 154,
  },
  {
    id: 'MLB',
    countryId: 'BR',
    currency: 'BRL',
    authHost: 'auth.mercadolivre.com.br',
    utcOffsetMinutes: -180,
    me1ServiceId: 11,
  },
  {
    id: 'MLM',
    countryId: 'MX',
    currency: 'MXN',
    authHost: 'auth.mercadolibre.com.mx',
    utcOffsetMinutes: -360,
    me1ServiceId: 231876,
  },
  {
    id: 'MLC',
    countryId: 'CL',
    currency: 'CLP',
    authHost: 'auth.mercadolibre.cl',
    utcOffsetMinutes: -240,
    me1ServiceId: 282578,
  },
  {
    id: 'MCO',
    countryId: 'CO',
    currency: 'COP',
    authHost: 'auth.mercadolibre.com.co',
    utcOffsetMinutes: -300,
    me1ServiceId: 282579,
  },
  {
    id: 'MLU',
    countryId: 'UY',
    currency: 'UYU',
    authHost: 'auth.mercadolibre.com.uy',
    utcOffsetMinutes: -180,
    me1ServiceId: 282604,
  },
  {
    id: 'MPE',
    countryId: 'PE',
    currency: 'PEN',
    authHost: 'auth.mercadolibre.com.pe',
    utcOffsetMinutes: -300,
    me1ServiceId: 361180,
  },
  {
    id: 'MEC',
    countryId: 'EC',
    currency: 'USD',
    authHost: 'auth.mercadolibre.com.ec',
    utcOffsetMinutes: -300,
  },
  {
    id: 'MLV',
    countryId: 'VE',
    currency: 'VES',
    authHost: 'auth.mercadolibre.com.ve',
    utcOffsetMinutes: -240,
  },
  {
    id: 'MPA',
    countryId: 'PA',
    currency: 'PAB',
    authHost: 'auth.mercadolibre.com.pa',
    utcOffsetMinutes: -300,
  },
  {
    id: 'MCR',
    countryId: 'CR',
    currency: 'CRC',
    authHost: 'auth.mercadolibre.com.cr',
    utcOffsetMinutes: -360,
  },
  {
    id: 'MRD',
    countryId: 'DO',
    currency: 'DOP',
    authHost: 'auth.mercadolibre.com.do',
    utcOffsetMinutes: -240,
  },
];

/** Sites the sandbox serves, keyed by `site_id`. */
export const MELI_SITES: ReadonlyMap<string, MeliSite> = new Map(table.map((site) => [site.id, site]));

/** The site with this id, or a RangeError naming the ones that exist. */
export function meliSite(siteId: string): MeliSite {
  const site = MELI_SITES.get(siteId);
  if (site === undefined) {
    throw new RangeError(
      `Unknown Mercado Livre site "${siteId}"; use one of ${[...MELI_SITES.keys()].join(', ')}`,
    );
  }
  return site;
}

/** Host of the public listing pages of a site, for item permalinks. */
export function permalinkHost(site: MeliSite): string {
  return site.id === 'MLB' ? 'produto.mercadolivre.com.br' : site.authHost.replace(/^auth\./, 'articulo.');
}
