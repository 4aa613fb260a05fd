import { randomHex } from '../shared/random';
import { nowSeconds, type ShopeeContext } from './context';
import { ShopeeApiError } from './envelope';
import {
  type AccessTokenRecord,
  type AuthCodeRecord,
  activeGrant,
  findGrant,
  type GrantRecord,
  type RefreshTokenRecord,
  type TokenScope,
} from './state';

/** Who grants access: one shop, or a main account with all its shops and merchants. */
export type ShopeeAccount = { shopId: number } | { mainAccountId: number };

/** What a grant can cover: an account, or (for seeding) a single merchant. */
export type GrantTarget = ShopeeAccount | { merchantId: number };

/** Records a 365-day grant of `target` to `partnerId` and returns it. */
export function createGrant(context: ShopeeContext, partnerId: number, target: GrantTarget): GrantRecord {
  const { state } = context;
  if (!state.partners.has(partnerId)) throw new Error(`Unknown partner ${partnerId}`);
  const now = nowSeconds(context);
  let shopIds: number[] = [];
  let merchantIds: number[] = [];
  let mainAccountId: number | undefined;
  if ('shopId' in target) {
    if (!state.shops.has(target.shopId)) throw new Error(`Unknown shop ${target.shopId}`);
    shopIds = [target.shopId];
  } else if ('merchantId' in target) {
    if (!state.merchants.has(target.merchantId)) throw new Error(`Unknown merchant ${target.merchantId}`);
    merchantIds = [target.merchantId];
  } else {
    mainAccountId = target.mainAccountId;
    shopIds = [...state.shops.values()].filter((s) => s.mainAccountId === mainAccountId).map((s) => s.shopId);
    merchantIds = [...state.merchants.values()]
      .filter((m) => m.mainAccountId === mainAccountId)
      .map((m) => m.merchantId);
    if (shopIds.length === 0 && merchantIds.length === 0) {
      throw new Error(`Main account ${mainAccountId} has no shops or merchants`);
    }
  }
  const grant: GrantRecord = {
    partnerId,
    shopIds,
    merchantIds,
    mainAccountId,
    authTime: now,
    expireTime: now + context.lifetimes.grant,
    revoked: false,
  };
  state.grants.push(grant);
  return grant;
}

/** The active grant of `partnerId` over `target`, if any. */
export function activeGrantFor(
  context: ShopeeContext,
  partnerId: number,
  target: GrantTarget,
): GrantRecord | undefined {
  const now = nowSeconds(context);
  if ('shopId' in target) return activeGrant(context.state, partnerId, `shop:${target.shopId}`, now);
  if ('merchantId' in target)
    return activeGrant(context.state, partnerId, `merchant:${target.merchantId}`, now);
  return [...context.state.grants]
    .reverse()
    .find(
      (grant) =>
        grant.partnerId === partnerId &&
        grant.mainAccountId === target.mainAccountId &&
        !grant.revoked &&
        grant.expireTime > now,
    );
}

/** Issues the one-time code the authorization redirect carries. */
export function createAuthCode(
  context: ShopeeContext,
  partnerId: number,
  account: ShopeeAccount,
): AuthCodeRecord {
  const grant = createGrant(context, partnerId, account);
  const record: AuthCodeRecord = {
    code: randomHex(32),
    partnerId,
    shopId: 'shopId' in account ? account.shopId : undefined,
    mainAccountId: 'mainAccountId' in account ? account.mainAccountId : undefined,
    grant,
    expiresAtMs: context.clock.now() + context.lifetimes.code * 1000,
    used: false,
  };
  context.state.codes.set(record.code, record);
  return record;
}

/** The scopes a grant covers. */
export function grantScopes(grant: GrantRecord): TokenScope[] {
  return [
    ...grant.shopIds.map((id): TokenScope => `shop:${id}`),
    ...grant.merchantIds.map((id): TokenScope => `merchant:${id}`),
  ];
}

/** A freshly minted access/refresh pair. */
export interface MintedTokens {
  accessToken: AccessTokenRecord;
  refreshToken: RefreshTokenRecord;
}

/** Mints an access/refresh pair for `scopes` with the configured lifetimes. */
export function mintTokens(
  context: ShopeeContext,
  partnerId: number,
  scopes: readonly TokenScope[],
  fixed: { accessToken?: string; refreshToken?: string } = {},
): MintedTokens {
  const now = context.clock.now();
  const accessExpiry = now + context.lifetimes.accessToken * 1000;
  const accessToken: AccessTokenRecord = {
    token: fixed.accessToken ?? randomHex(32),
    partnerId,
    scopes: new Map(scopes.map((scope) => [scope, accessExpiry])),
    revoked: false,
  };
  const refreshToken: RefreshTokenRecord = {
    token: fixed.refreshToken ?? randomHex(32),
    partnerId,
    scopes: new Set(scopes),
    usedBy: new Set(),
    expiresAtMs: now + context.lifetimes.refreshToken * 1000,
    revoked: false,
  };
  context.state.accessTokens.set(accessToken.token, accessToken);
  context.state.refreshTokens.set(refreshToken.token, refreshToken);
  return { accessToken, refreshToken };
}

/** Revokes every token of `partnerId` that covers one of `scopes` (deauthorization). */
export function revokeTokens(context: ShopeeContext, partnerId: number, scopes: readonly TokenScope[]): void {
  for (const token of context.state.accessTokens.values()) {
    if (token.partnerId !== partnerId) continue;
    for (const scope of scopes) if (token.scopes.has(scope)) token.scopes.set(scope, 0);
  }
  for (const token of context.state.refreshTokens.values()) {
    if (token.partnerId !== partnerId) continue;
    for (const scope of scopes) if (token.scopes.has(scope)) token.usedBy.add(scope);
  }
}

/**
 * Checks that `token` lets `partnerId` act on `scope` now; throws Shopee's error otherwise:
 * unknown, expired or revoked → the configured invalid-token code; another shop/partner →
 * `error_auth`; grant past its 365 days → `shop_access_expired` / `merchant_access_expired`.
 */
export function authorizeAccessToken(
  context: ShopeeContext,
  partnerId: number,
  token: string,
  scope: TokenScope,
): void {
  const record = context.state.accessTokens.get(token);
  const invalid = new ShopeeApiError(context.invalidTokenError, 'Invalid access_token, please have a check.');
  if (!record || record.revoked) throw invalid;
  if (record.partnerId !== partnerId) throw new ShopeeApiError('error_auth', 'Invalid partner_id or shopid.');
  const expiresAt = record.scopes.get(scope);
  if (expiresAt === undefined) {
    const kind = scope.startsWith('shop') ? 'shopid' : 'merchant_id';
    throw new ShopeeApiError('error_auth', `Invalid partner_id or ${kind}.`);
  }
  const now = nowSeconds(context);
  if (!activeGrant(context.state, partnerId, scope, now)) {
    const lapsed = findGrant(context.state, partnerId, scope, (grant) => !grant.revoked);
    if (lapsed) {
      const kind = scope.startsWith('shop') ? 'shop' : 'merchant';
      throw new ShopeeApiError(`${kind}_access_expired`, `The authorization of this ${kind} has expired.`);
    }
    throw invalid;
  }
  if (context.clock.now() >= expiresAt) throw invalid;
}

/**
 * Refreshes `scope` with a single-use refresh token: the old one dies for that scope, the
 * old access token keeps working for the grace period, and a new pair is returned.
 */
export function refreshScope(
  context: ShopeeContext,
  partnerId: number,
  refreshTokenText: string,
  scope: TokenScope,
): MintedTokens {
  const kind = scope.startsWith('shop') ? 'shop' : 'merchant';
  const wrong = new ShopeeApiError(`error_${kind}_refresh_token`, 'Invalid refresh_token.');
  const record = context.state.refreshTokens.get(refreshTokenText);
  if (!record || record.revoked || record.partnerId !== partnerId) throw wrong;
  if (!record.scopes.has(scope) || record.usedBy.has(scope)) throw wrong;
  const now = context.clock.now();
  if (now >= record.expiresAtMs) {
    throw new ShopeeApiError('refresh_token_expired', 'The refresh_token has expired.');
  }
  if (!activeGrant(context.state, partnerId, scope, nowSeconds(context))) {
    throw new ShopeeApiError(`${kind}_access_expired`, `The authorization of this ${kind} has expired.`);
  }
  record.usedBy.add(scope);
  const graceEnd = now + context.lifetimes.accessTokenGrace * 1000;
  for (const access of context.state.accessTokens.values()) {
    const expiry = access.partnerId === partnerId ? access.scopes.get(scope) : undefined;
    if (expiry !== undefined && expiry > graceEnd) access.scopes.set(scope, graceEnd);
  }
  return mintTokens(context, partnerId, [scope]);
}
