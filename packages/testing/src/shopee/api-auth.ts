import * as z from 'zod';
import { nowSeconds, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, flatResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import { optionalIntQuery, parseBody } from './params';
import type { GrantRecord, TokenScope } from './state';
import {
  createAuthCode,
  grantScopes,
  mintTokens,
  refreshScope,
  revokeTokens,
  type ShopeeAccount,
} from './tokens';

const int = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((value) => Number(value));

const TokenGetBody = z.object({
  code: z.string().min(1),
  partner_id: int,
  shop_id: int.optional(),
  main_account_id: int.optional(),
});

const RefreshBody = z.object({
  refresh_token: z.string().min(1),
  partner_id: int,
  shop_id: int.optional(),
  merchant_id: int.optional(),
});

function checkBodyPartner(bodyPartnerId: number, queryPartnerId: number): void {
  if (bodyPartnerId !== queryPartnerId) {
    throw new ShopeeApiError('error_param', 'partner_id in the body does not match partner_id in query.');
  }
}

/** Authorization-code payload of push code 1 (partner level). */
export function authorizationPushData(grant: GrantRecord, authorized: boolean): JsonWritable {
  const verb = authorized ? 'authorized' : 'deauthorized';
  if (grant.mainAccountId !== undefined) {
    return {
      main_account_id: grant.mainAccountId,
      shop_id_list: grant.shopIds,
      merchant_id_list: grant.merchantIds,
      success: 1,
      extra: `main_account_id ${grant.mainAccountId} is ${verb} successfully`,
    };
  }
  const shopId = grant.shopIds[0];
  return { shop_id: shopId, success: 1, extra: `shop_id ${shopId} is ${verb} successfully` };
}

function consentOrThrow(context: ShopeeContext): ShopeeAccount {
  const account = context.consentingAccount();
  if (!account) throw new ShopeeApiError('error_param', 'No shop is available to authorize in the sandbox.');
  return account;
}

function redirectTarget(query: URLSearchParams): URL {
  const redirect = query.get('redirect');
  if (!redirect) throw new ShopeeApiError('error_param', 'redirect is required.');
  try {
    return new URL(redirect);
  } catch {
    throw new ShopeeApiError('error_param', 'redirect is not a valid URL.');
  }
}

/** Authorization, token and partner-level endpoints (reference §3, §8.1). */
export const authEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/shop/auth_partner': {
    method: 'GET',
    kind: 'public',
    browser: true,
    handle(call, context) {
      const target = redirectTarget(call.query);
      const account = consentOrThrow(context);
      const record = createAuthCode(context, call.partner.partnerId, account);
      target.searchParams.set('code', record.code);
      if ('shopId' in account) target.searchParams.set('shop_id', String(account.shopId));
      else target.searchParams.set('main_account_id', String(account.mainAccountId));
      context.pushes.forPartner(call.partner.partnerId, 1, authorizationPushData(record.grant, true));
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    },
  },
  '/api/v2/shop/cancel_auth_partner': {
    method: 'GET',
    kind: 'public',
    browser: true,
    handle(call, context) {
      const target = redirectTarget(call.query);
      const account = consentOrThrow(context);
      const partnerId = call.partner.partnerId;
      const scope: TokenScope | undefined = 'shopId' in account ? `shop:${account.shopId}` : undefined;
      for (const grant of context.state.grants) {
        if (grant.partnerId !== partnerId || grant.revoked) continue;
        const matches =
          scope !== undefined
            ? grant.shopIds.includes((account as { shopId: number }).shopId)
            : grant.mainAccountId === (account as { mainAccountId: number }).mainAccountId;
        if (!matches) continue;
        grant.revoked = true;
        revokeTokens(context, partnerId, grantScopes(grant));
        context.pushes.forPartner(partnerId, 2, authorizationPushData(grant, false));
      }
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    },
  },
  '/api/v2/auth/token/get': {
    method: 'POST',
    kind: 'public',
    handle(call, context) {
      const body = parseBody(TokenGetBody, call.body);
      checkBodyPartner(body.partner_id, call.partner.partnerId);
      if ((body.shop_id === undefined) === (body.main_account_id === undefined)) {
        throw new ShopeeApiError('error_param', 'Exactly one of shop_id and main_account_id is required.');
      }
      const record = context.state.codes.get(body.code);
      if (
        !record ||
        record.used ||
        record.partnerId !== call.partner.partnerId ||
        context.clock.now() >= record.expiresAtMs
      ) {
        throw new ShopeeApiError('invalid_code', 'Invalid code.');
      }
      if (body.shop_id !== undefined && body.shop_id !== record.shopId) {
        throw new ShopeeApiError('invalid_shop_id', 'The code and shop_id do not match.');
      }
      if (body.main_account_id !== undefined && body.main_account_id !== record.mainAccountId) {
        throw new ShopeeApiError('invalid_main_acount_id', 'The code and main_account_id do not match.');
      }
      record.used = true;
      const { accessToken, refreshToken } = mintTokens(
        context,
        call.partner.partnerId,
        grantScopes(record.grant),
      );
      const lists =
        record.mainAccountId === undefined
          ? {}
          : { shop_id_list: record.grant.shopIds, merchant_id_list: record.grant.merchantIds };
      return flatResponse({
        access_token: accessToken.token,
        refresh_token: refreshToken.token,
        expire_in: context.lifetimes.accessToken,
        ...lists,
      });
    },
  },
  '/api/v2/auth/access_token/get': {
    method: 'POST',
    kind: 'public',
    handle(call, context) {
      const body = parseBody(RefreshBody, call.body);
      checkBodyPartner(body.partner_id, call.partner.partnerId);
      if ((body.shop_id === undefined) === (body.merchant_id === undefined)) {
        throw new ShopeeApiError('error_param', 'Exactly one of shop_id and merchant_id is required.');
      }
      const scope: TokenScope =
        body.shop_id !== undefined ? `shop:${body.shop_id}` : `merchant:${body.merchant_id as number}`;
      const { accessToken, refreshToken } = refreshScope(
        context,
        call.partner.partnerId,
        body.refresh_token,
        scope,
      );
      const owner =
        body.shop_id !== undefined ? { shop_id: body.shop_id } : { merchant_id: body.merchant_id };
      return flatResponse({
        partner_id: call.partner.partnerId,
        ...owner,
        access_token: accessToken.token,
        refresh_token: refreshToken.token,
        expire_in: context.lifetimes.accessToken,
      });
    },
  },
  '/api/v2/public/get_shops_by_partner': {
    method: 'GET',
    kind: 'public',
    handle(call, context) {
      const { page, more } = pageOfGrants(call.query, context, call.partner.partnerId, 'shop');
      return flatResponse({
        authed_shop_list: page.map(({ id, grant }) => ({
          region: context.state.shops.get(id)?.region,
          shop_id: id,
          auth_time: grant.authTime,
          expire_time: grant.expireTime,
          sip_affi_shop_list: [],
        })),
        more,
      });
    },
  },
  '/api/v2/public/get_merchants_by_partner': {
    method: 'GET',
    kind: 'public',
    handle(call, context) {
      const { page, more } = pageOfGrants(call.query, context, call.partner.partnerId, 'merchant');
      return flatResponse({
        authed_merchant_list: page.map(({ id, grant }) => ({
          region: context.state.merchants.get(id)?.region,
          merchant_id: id,
          auth_time: grant.authTime,
          expire_time: grant.expireTime,
        })),
        more,
      });
    },
  },
  '/api/v2/shop/get_shop_info': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const grant = [...context.state.grants]
        .reverse()
        .find((g) => g.partnerId === call.partner.partnerId && !g.revoked && g.shopIds.includes(shop.shopId));
      return flatResponse({
        shop_name: shop.shopName,
        region: shop.region,
        status: 'NORMAL',
        is_cb: shop.merchantId !== undefined,
        is_sip: false,
        auth_time: grant?.authTime,
        expire_time: grant?.expireTime,
        merchant_id: shop.merchantId,
      });
    },
  },
  '/api/v2/shop/get_profile': {
    method: 'GET',
    kind: 'shop',
    handle(call) {
      const shop = call.shop!;
      return envelopeResponse({
        shop_logo: '',
        description: '',
        shop_name: shop.shopName,
        // Brazilian CNPJ sellers only (reference §7): who issues the shop's NF-e.
        ...(shop.region === 'BR' ? { invoice_issuer: shop.issuesOwnInvoices ? 'Other' : 'Shopee' } : {}),
      });
    },
  },
  '/api/v2/merchant/get_merchant_info': {
    method: 'GET',
    kind: 'merchant',
    handle(call) {
      const merchant = call.merchant!;
      return flatResponse({
        merchant_name: merchant.merchantName,
        is_cnsc: true,
        auth_time: undefined,
        expire_time: undefined,
        currency: merchant.currency,
        merchant_region: merchant.region,
      });
    },
  },
};

function pageOfGrants(
  query: URLSearchParams,
  context: ShopeeContext,
  partnerId: number,
  kind: 'shop' | 'merchant',
): { page: { id: number; grant: GrantRecord }[]; more: boolean } {
  const pageSize = optionalIntQuery(query, 'page_size') ?? 100;
  const pageNo = optionalIntQuery(query, 'page_no') ?? 1;
  if (pageSize < 1 || pageSize > 100) throw new ShopeeApiError('error_param', 'page_size should be 1-100.');
  if (pageNo < 1) throw new ShopeeApiError('error_param', 'page_no should start from 1.');
  const now = nowSeconds(context);
  const latest = new Map<number, GrantRecord>();
  for (const grant of context.state.grants) {
    if (grant.partnerId !== partnerId || grant.revoked || grant.expireTime <= now) continue;
    for (const id of kind === 'shop' ? grant.shopIds : grant.merchantIds) latest.set(id, grant);
  }
  const all = [...latest.entries()].map(([id, grant]) => ({ id, grant }));
  const start = (pageNo - 1) * pageSize;
  return { page: all.slice(start, start + pageSize), more: start + pageSize < all.length };
}
