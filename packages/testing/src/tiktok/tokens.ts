/**
 * Authorization codes and tokens (reference §4). Expiries are absolute Unix seconds, as TikTok
 * returns them in `access_token_expire_in` / `refresh_token_expire_in` despite the names.
 */
import type { TikTokSandboxContext } from './context';
import { tiktokError } from './errors';
import { authorizationKey, type TikTokSandboxApp } from './state';

/** Every scope the sandbox knows; a token gets them all unless a test narrows them. */
export const TIKTOK_SANDBOX_SCOPES: readonly string[] = [
  'seller.authorization.info',
  'seller.shop.info',
  'seller.product.basic',
  'seller.product.write',
  'seller.order.info',
  'seller.fulfillment.basic',
  'seller.logistics',
  'seller.return_refund.basic',
  'seller.finance.info',
];

/** A token pair as the token endpoints return it, plus who it belongs to. */
export interface TikTokSandboxTokens {
  accessToken: string;
  /** Absolute Unix seconds. */
  accessTokenExpireIn: number;
  refreshToken: string;
  /** Absolute Unix seconds. */
  refreshTokenExpireIn: number;
  openId: string;
  appKey: string;
  grantedScopes: string[];
}

function tokenPrefix(context: TikTokSandboxContext, openId: string): string {
  return context.state.sellers.get(openId)?.baseRegion === 'US' ? 'TTP_' : 'ROW_';
}

function opaque(context: TikTokSandboxContext, kind: string): string {
  const serial = context.state.nextId('token');
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  const noise = Array.from(bytes, (byte) => byte.toString(36).padStart(2, '0')).join('');
  return `${kind}${serial}${noise}`;
}

/** Grants (or re-grants) an app's authorization by a seller. */
export function authorizeApp(
  context: TikTokSandboxContext,
  appKey: string,
  openId: string,
  scopes: readonly string[] = TIKTOK_SANDBOX_SCOPES,
): void {
  context.state.authorizations.set(authorizationKey(appKey, openId), {
    appKey,
    openId,
    scopes: [...scopes],
    revoked: false,
  });
}

/** Mints an access token and a refresh token for an authorized app and seller. */
export function mintTokens(
  context: TikTokSandboxContext,
  appKey: string,
  openId: string,
  reuseRefreshToken?: { token: string; expiresAt: number },
): TikTokSandboxTokens {
  const authorization = context.state.authorizations.get(authorizationKey(appKey, openId));
  if (!authorization || authorization.revoked) throw tiktokError('authRecordNotFound');
  const now = context.nowSeconds();
  const prefix = tokenPrefix(context, openId);
  const access = {
    token: opaque(context, prefix),
    appKey,
    openId,
    expiresAt: now + context.settings.accessTokenLifetimeSeconds,
  };
  context.state.accessTokens.set(access.token, access);
  const refresh = reuseRefreshToken ?? {
    token: opaque(context, 'RT_'),
    expiresAt: now + context.settings.refreshTokenLifetimeSeconds,
  };
  context.state.refreshTokens.set(refresh.token, { ...refresh, appKey, openId, used: false });
  return {
    accessToken: access.token,
    accessTokenExpireIn: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpireIn: refresh.expiresAt,
    openId,
    appKey,
    grantedScopes: [...authorization.scopes],
  };
}

/** Issues a single-use authorization code, as the authorize page does after consent. */
export function issueAuthCode(context: TikTokSandboxContext, appKey: string, openId: string): string {
  const code = opaque(context, 'AC_');
  context.state.authCodes.set(code, {
    code,
    appKey,
    openId,
    expiresAt: context.nowSeconds() + context.settings.authCodeLifetimeSeconds,
    used: false,
  });
  return code;
}

/** `GET /api/v2/token/get`: exchanges a code (once, before it expires). */
export function exchangeAuthCode(
  context: TikTokSandboxContext,
  app: TikTokSandboxApp,
  code: string,
): TikTokSandboxTokens {
  const record = context.state.authCodes.get(code);
  if (!record || record.appKey !== app.appKey || record.used) throw tiktokError('authRecordNotFound');
  if (context.nowSeconds() >= record.expiresAt) {
    throw tiktokError('authRecordNotFound', 'can not find related auth record: the auth code has expired');
  }
  record.used = true;
  return mintTokens(context, app.appKey, record.openId);
}

/** `GET /api/v2/token/refresh`: a new access token; the refresh token rotates per the settings. */
export function refreshTokens(
  context: TikTokSandboxContext,
  app: TikTokSandboxApp,
  token: string,
): TikTokSandboxTokens {
  const record = context.state.refreshTokens.get(token);
  if (!record || record.appKey !== app.appKey || record.used) throw tiktokError('authRecordNotFound');
  if (context.nowSeconds() >= record.expiresAt) throw tiktokError('refreshTokenExpired');
  if (context.settings.refreshTokenRotation === 'reuse') {
    return mintTokens(context, app.appKey, record.openId, {
      token: record.token,
      expiresAt: record.expiresAt,
    });
  }
  const tokens = mintTokens(context, app.appKey, record.openId);
  record.used = true;
  return tokens;
}

/** The `data` of a token response (reference §4.5). */
export function renderTokens(
  context: TikTokSandboxContext,
  tokens: TikTokSandboxTokens,
): Record<string, unknown> {
  const seller = context.state.sellers.get(tokens.openId);
  return {
    access_token: tokens.accessToken,
    access_token_expire_in: tokens.accessTokenExpireIn,
    refresh_token: tokens.refreshToken,
    refresh_token_expire_in: tokens.refreshTokenExpireIn,
    open_id: tokens.openId,
    seller_name: seller?.name ?? '',
    seller_base_region: seller?.baseRegion ?? '',
    user_type: seller?.userType ?? 0,
    granted_scopes: tokens.grantedScopes,
  };
}
