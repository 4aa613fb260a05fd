import { intParam, json } from '../shared/index';
import type { MeliContext } from './context';
import { badRequest, meliError, notFound } from './errors';
import type { MeliRoute, MeliRouter } from './router';
import { meliSite, permalinkHost } from './sites';
import type { MeliUser } from './types';

function reputation(context: MeliContext, user: MeliUser): Record<string, unknown> {
  const orders = [...context.state.orders.values()].filter((record) => record.order.seller.id === user.id);
  return {
    level_id: null,
    power_seller_status: null,
    transactions: {
      period: 'historic',
      total: orders.length,
      completed: orders.filter((record) => record.order.status === 'paid').length,
      canceled: orders.filter((record) => record.order.status === 'cancelled').length,
      ratings: { positive: 0, negative: 0, neutral: 0 },
    },
  };
}

function publicProfile(context: MeliContext, user: MeliUser): Record<string, unknown> {
  const site = meliSite(user.site_id);
  const profileHost = permalinkHost(site).replace(/^(produto|articulo)\./, 'perfil.');
  return {
    id: user.id,
    nickname: user.nickname,
    registration_date: user.registration_date,
    country_id: user.country_id,
    address: { city: 'São Paulo', state: `${user.country_id}-SP` },
    user_type: user.user_type,
    tags: [...user.tags],
    logo: null,
    points: 100,
    site_id: user.site_id,
    permalink: `http://${profileHost}/${user.nickname}`,
    seller_reputation: reputation(context, user),
    buyer_reputation: { tags: [] },
    status: { site_status: 'active' },
  };
}

function privateProfile(context: MeliContext, user: MeliUser): Record<string, unknown> {
  const allowed = { allow: true, codes: [], immediate_payment: { required: false, reasons: [] } };
  return {
    ...publicProfile(context, user),
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    identification: { type: 'CPF', number: String(user.id).padStart(11, '0') },
    address: {
      state: `${user.country_id}-SP`,
      city: 'São Paulo',
      address: 'Avenida do Vendedor 1000',
      zip_code: '04538133',
    },
    phone: { area_code: '11', number: '55550000', extension: '', verified: false },
    alternative_phone: { area_code: '', number: '', extension: '' },
    seller_experience: 'ADVANCED',
    status: {
      site_status: 'active',
      list: allowed,
      buy: allowed,
      sell: allowed,
      billing: { allow: true, codes: [] },
      mercadopago_tc_accepted: true,
      mercadoenvios: user.defaultShippingMode === 'me2' ? 'accepted' : 'not_accepted',
      immediate_payment: false,
      confirmed_email: true,
      user_type: 'eventual',
      required_action: '',
    },
  };
}

export function userHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  const { state } = context;
  return [
    router.api('get', '/users/me', ({ user }) => json(privateProfile(context, user))),

    router.api('get', '/users/:id', ({ params, token }) => {
      const user = state.users.get(Number(params.id));
      if (user === undefined) return notFound(`User ${params.id} not found`);
      return json(user.id === token.userId ? privateProfile(context, user) : publicProfile(context, user));
    }),

    router.api('get', '/missed_feeds', ({ query, token }) => {
      const appId = query.get('app_id');
      if (appId === null || !/^\d+$/.test(appId)) return badRequest('app_id is a required parameter');
      if (Number(appId) !== token.appId)
        return meliError(403, 'forbidden', 'The token does not belong to this application');
      const topic = query.get('topic');
      const siteId = query.get('site_id');
      if (topic === 'items' && siteId === null) return badRequest('site_id is required for topic items');
      const limit = intParam(query, 'limit') ?? 10;
      const offset = intParam(query, 'offset') ?? 0;
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        return badRequest('offset and limit must be whole numbers');
      }
      const oldest = context.clock.now() - context.limits.missedFeedsRetentionMs;
      const matching = state.missedFeeds.filter(
        (feed) =>
          feed.notification.application_id === Number(appId) &&
          feed.recordedAt >= oldest &&
          (topic === null || feed.notification.topic === topic) &&
          (siteId === null || feed.siteId === siteId),
      );
      return json({
        messages: matching.slice(offset, offset + limit).map((feed) => ({
          ...feed.notification,
          request: {
            url: feed.url,
            headers: { 'content-type': 'application/json' },
            data: JSON.stringify(feed.notification),
          },
          response: {
            req_time: 0,
            http_code: feed.last.status,
            body: feed.last.responseBody,
            headers: {},
          },
        })),
      });
    }),
  ];
}
