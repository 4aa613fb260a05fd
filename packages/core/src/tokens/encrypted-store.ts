import { type MarketplaceId, MlhError, ValidationError } from '../errors';
import type { StoredTokenSet, TokenRefreshLocks, TokenSet, TokenStore, TokenWriteResult } from './types';

/** A 256-bit key: 32 bytes, 64 hex characters, or base64 / base64url of 32 bytes. */
export type TokenEncryptionKey = Uint8Array | string;

/** Options of {@link EncryptedTokenStore}. */
export interface EncryptedTokenStoreOptions {
  /** The key new records are encrypted with. Keep it in a secret manager, never next to the data. */
  key: TokenEncryptionKey;
  /**
   * Older keys still accepted for reading, so a key can be rotated without re-authorizing sellers.
   * Run {@link EncryptedTokenStore.reencrypt} over every account before dropping one. A weak key
   * is accepted here (only to read, so records written with it can be moved to a strong one).
   */
  previousKeys?: readonly TokenEncryptionKey[];
  /**
   * Records of format 1 (written before the field and clear-field binding): `'read'` (default)
   * reads them, so nothing becomes unreadable on upgrade; `'refuse'` fails on them with code
   * `token_legacy_format`, once {@link EncryptedTokenStore.reencrypt} has upgraded every account.
   */
  legacyRecords?: 'read' | 'refuse';
}

/** An account whose token record {@link EncryptedTokenStore.reencrypt} should visit. */
export interface TokenAccountRef {
  marketplace: MarketplaceId;
  accountId: string;
}

/** What {@link EncryptedTokenStore.reencrypt} did. */
export interface TokenReencryptionReport {
  /** Records rewritten with the current key and format. */
  reencrypted: number;
  /** Records already on the current key and format, left as they were. */
  upToDate: number;
  /** Accounts with no record. */
  missing: number;
  /** Records that could not be read (no key opens them, or they were altered); they were left as they were. */
  failures: { marketplace: MarketplaceId; accountId: string; error: MlhError }[];
}

const KEY_HINT = 'a 32-byte key: Uint8Array(32), 64 hex characters, or base64 of 32 bytes';

function decodeBase64(text: string): Uint8Array | undefined {
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized)) return undefined;
  try {
    const binary = atob(normalized.padEnd(Math.ceil(normalized.length / 4) * 4, '='));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Why a 32-byte key is too weak to encrypt with, or undefined. A random key passes every test
 * with overwhelming probability (each would reject fewer than one random key in 10^12); keys
 * that fail them were typed, derived from a password, or left as a placeholder.
 */
export function weakKeyReason(bytes: Uint8Array): string | undefined {
  if (bytes.every((byte) => byte === 0)) return 'it is all zeros';
  if (new Set(bytes).size < 16) return 'it uses fewer than 16 distinct byte values';
  for (let period = 1; period <= 16; period++) {
    if (bytes.every((byte, index) => index < period || byte === bytes[index - period])) {
      return `it repeats every ${period} bytes`;
    }
  }
  const step = ((bytes[1] ?? 0) - (bytes[0] ?? 0) + 256) % 256;
  if (bytes.every((byte, index) => index === 0 || (byte - (bytes[index - 1] ?? 0) + 256) % 256 === step)) {
    return 'it is a counting sequence';
  }
  if (bytes.every((byte) => byte >= 0x20 && byte <= 0x7e)) return 'it is printable text (a password?)';
  return undefined;
}

/** Decodes a {@link TokenEncryptionKey} to its 32 bytes, or throws a {@link ValidationError}. */
export function decodeTokenEncryptionKey(key: TokenEncryptionKey, field = 'key'): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (typeof key !== 'string') bytes = key;
  else if (/^[0-9a-f]{64}$/i.test(key)) {
    bytes = Uint8Array.from(key.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  } else bytes = decodeBase64(key);
  if (bytes?.length !== 32) {
    throw new ValidationError('Invalid token encryption key', [
      { path: field, message: `must be ${KEY_HINT}`, code: 'invalid_key' },
    ]);
  }
  return Uint8Array.from(bytes);
}

/**
 * Generates a random key for {@link EncryptedTokenStore}, as base64 (store it in your secret manager).
 *
 * @example
 * const key = generateTokenEncryptionKey(); // 'q3V0…' (44 characters)
 */
export function generateTokenEncryptionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * jose, loaded on the first encryption or decryption: importing `@mlh/core` should not load and
 * compile its 46 modules in every app, most of which never encrypt tokens.
 */
let joseModule: Promise<typeof import('./jwe')> | undefined;
function loadJose(): Promise<typeof import('./jwe')> {
  joseModule ??= import('./jwe');
  return joseModule;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * Header parameter binding a ciphertext to its record. Format 1 (a string) binds the account;
 * format 2 (an object) binds the account, the field and a digest of the clear fields.
 */
const BINDING_HEADER = 'mlh';
/** The format this version writes. */
export const TOKEN_RECORD_FORMAT = 2;

type TokenField = 'accessToken' | 'refreshToken';

interface BindingV2 {
  /** Format version. */
  v: 2;
  /** `marketplace/accountId`. */
  a: string;
  /** The field the ciphertext belongs to. */
  f: TokenField;
  /** base64url SHA-256 of the clear fields ({@link clearFieldsOf}). */
  c: string;
}

/** A value as canonical JSON: keys sorted, undefined dropped, so any store's round trip gives the same text. */
function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.keys(node)
          .sort()
          .map((key) => [key, walk((node as Record<string, unknown>)[key])]),
      );
    }
    return node;
  };
  return JSON.stringify(walk(plain));
}

/**
 * The fields stored in clear that the ciphertexts authenticate: editing any of them outside the
 * SDK (extending `expiresAt`, widening `scopes`, dropping the refresh token) makes the record
 * unreadable. `version` and `reauthorizationRequired` belong to the store and are left out.
 */
function clearFieldsOf(tokens: TokenSet): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    marketplace: tokens.marketplace,
    accountId: tokens.accountId,
    expiresAt: tokens.expiresAt,
    hasRefreshToken: tokens.refreshToken !== undefined && tokens.refreshToken !== null,
  };
  // Stores may give back null for an absent optional field, or drop an empty list: all mean "absent".
  if (tokens.tokenType != null) fields.tokenType = tokens.tokenType;
  if (tokens.refreshExpiresAt != null) fields.refreshExpiresAt = tokens.refreshExpiresAt;
  if (tokens.scopes != null && tokens.scopes.length > 0) fields.scopes = tokens.scopes;
  if (tokens.extra != null && Object.keys(tokens.extra).length > 0) fields.extra = tokens.extra;
  return fields;
}

async function clearFieldsDigest(tokens: TokenSet): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(clearFieldsOf(tokens))));
  const { base64url } = await loadJose();
  return base64url.encode(new Uint8Array(digest));
}

function accountBinding(tokens: { marketplace: MarketplaceId; accountId: string }): string {
  return `${tokens.marketplace}/${tokens.accountId}`;
}

/** A ciphertext opened: its text, which key opened it (0 = the current one) and its format. */
interface Opened {
  text: string;
  keyIndex: number;
  format: 1 | 2;
}

/**
 * Wraps any {@link TokenStore} so access and refresh tokens are stored as JWE (`dir` +
 * `A256GCM`, jose). Versions and compare-and-set pass through to the wrapped store; everything
 * but the two tokens stays readable for queries.
 *
 * Each ciphertext's protected header (authenticated by AES-GCM) names the account, the field it
 * belongs to and a digest of the clear fields (`expiresAt`, `refreshExpiresAt`, `scopes`,
 * `tokenType`, `extra`, whether there is a refresh token), so a record copied to another
 * account, access and refresh ciphertexts swapped, or a clear field edited in the database all
 * fail to read with a clear {@link MlhError} (codes `token_binding_mismatch`,
 * `token_record_altered`), as does a wrong key (`token_decryption_failed`): never garbage
 * tokens. A weak `key` (all zeros, repeated or typed bytes) is refused with a {@link ValidationError}.
 *
 * @example
 * const store = new EncryptedTokenStore(new MyPostgresTokenStore(db), { key: process.env.MLH_TOKEN_KEY! });
 */
export class EncryptedTokenStore implements TokenStore {
  readonly #inner: TokenStore;
  readonly #key: Uint8Array;
  readonly #readKeys: readonly Uint8Array[];
  /** The wrapped store's refresh locks, when it has them (locks hold no secrets). */
  readonly acquireRefreshLock?: TokenRefreshLocks['acquireRefreshLock'];
  readonly #legacyRecords: 'read' | 'refuse';

  constructor(inner: TokenStore, options: EncryptedTokenStoreOptions) {
    this.#inner = inner;
    if (inner.acquireRefreshLock) {
      const acquire = inner.acquireRefreshLock.bind(inner);
      this.acquireRefreshLock = (marketplace, accountId) => acquire(marketplace, accountId);
    }
    this.#key = decodeTokenEncryptionKey(options.key);
    const weakness = weakKeyReason(this.#key);
    if (weakness) {
      throw new ValidationError('Weak token encryption key', [
        {
          path: 'key',
          message: `is too weak: ${weakness}; use generateTokenEncryptionKey() for a random one`,
          code: 'weak_key',
        },
      ]);
    }
    this.#readKeys = [
      this.#key,
      ...(options.previousKeys ?? []).map((key, index) =>
        decodeTokenEncryptionKey(key, `previousKeys.${index}`),
      ),
    ];
    this.#legacyRecords = options.legacyRecords ?? 'read';
  }

  async get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined> {
    const stored = await this.#inner.get(marketplace, accountId);
    return stored && (await this.#decryptSet(stored)).tokens;
  }

  async set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options?: { expectedVersion?: number },
  ): Promise<TokenWriteResult> {
    const result = await this.#inner.set(await this.#encryptSet(tokens), options);
    if (result.ok) return { ok: true, stored: (await this.#decryptSet(result.stored)).tokens };
    return { ok: false, current: result.current && (await this.#decryptSet(result.current)).tokens };
  }

  delete(marketplace: MarketplaceId, accountId: string): Promise<void> {
    return this.#inner.delete(marketplace, accountId);
  }

  /**
   * Rewrites the records of these accounts with the current key and format: each is opened with
   * whichever key (current or previous) opens it and written back with compare-and-set, so a
   * concurrent refresh is never overwritten. Run it over every account after adding a new key and
   * before dropping the old one from `previousKeys`; a record no key opens is reported in
   * `failures` and left untouched. `TokenStore` has no listing, so pass the accounts (e.g. from a
   * `SELECT marketplace, account_id` on your table).
   *
   * @example
   * const store = new EncryptedTokenStore(inner, { key: newKey, previousKeys: [oldKey] });
   * const report = await store.reencrypt(await listAccounts(db));
   * if (report.failures.length === 0) console.log('old key can be dropped', report);
   */
  async reencrypt(
    accounts: Iterable<TokenAccountRef> | AsyncIterable<TokenAccountRef>,
  ): Promise<TokenReencryptionReport> {
    const report: TokenReencryptionReport = { reencrypted: 0, upToDate: 0, missing: 0, failures: [] };
    for await (const { marketplace, accountId } of accounts) {
      try {
        const outcome = await this.#reencryptOne(marketplace, accountId);
        report[outcome] += 1;
      } catch (error) {
        if (!(error instanceof MlhError)) throw error;
        report.failures.push({ marketplace, accountId, error });
      }
    }
    return report;
  }

  async #reencryptOne(
    marketplace: MarketplaceId,
    accountId: string,
  ): Promise<'reencrypted' | 'upToDate' | 'missing'> {
    // A concurrent write wins the compare-and-set; it used the current key, so reading again settles it.
    for (let round = 0; round < 5; round++) {
      const stored = await this.#inner.get(marketplace, accountId);
      if (!stored) return 'missing';
      const { tokens, current } = await this.#decryptSet(stored);
      if (current) return 'upToDate';
      const { version, ...fields } = tokens;
      const written = await this.#inner.set(await this.#encryptSet(fields), { expectedVersion: version });
      if (written.ok) return 'reencrypted';
    }
    throw new MlhError(
      `Cannot re-encrypt the stored tokens of ${marketplace} account ${accountId}: they keep changing`,
      { marketplace, code: 'token_reencrypt_conflict' },
    );
  }

  async #encryptSet<T extends TokenSet>(tokens: T): Promise<T> {
    const digest = await clearFieldsDigest(tokens);
    return {
      ...tokens,
      accessToken: await this.#encrypt(tokens.accessToken, tokens, 'accessToken', digest),
      refreshToken:
        tokens.refreshToken === undefined
          ? undefined
          : await this.#encrypt(tokens.refreshToken, tokens, 'refreshToken', digest),
    };
  }

  async #encrypt(value: string, tokens: TokenSet, field: TokenField, digest: string): Promise<string> {
    const binding: BindingV2 = { v: TOKEN_RECORD_FORMAT, a: accountBinding(tokens), f: field, c: digest };
    const { CompactEncrypt } = await loadJose();
    return new CompactEncrypt(encoder.encode(value))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', [BINDING_HEADER]: binding })
      .encrypt(this.#key);
  }

  /** The record decrypted, and whether it is already on the current key and format. */
  async #decryptSet(stored: StoredTokenSet): Promise<{ tokens: StoredTokenSet; current: boolean }> {
    const digest = await clearFieldsDigest(stored);
    const access = await this.#decrypt(stored.accessToken, stored, 'accessToken', digest);
    const refresh =
      stored.refreshToken == null
        ? undefined
        : await this.#decrypt(stored.refreshToken, stored, 'refreshToken', digest);
    const opened = refresh ? [access, refresh] : [access];
    return {
      tokens: { ...stored, accessToken: access.text, refreshToken: refresh?.text },
      current: opened.every((item) => item.keyIndex === 0 && item.format === TOKEN_RECORD_FORMAT),
    };
  }

  async #decrypt(value: string, stored: StoredTokenSet, field: TokenField, digest: string): Promise<Opened> {
    const where = `the stored tokens of ${stored.marketplace} account ${stored.accountId}`;
    const fail = (message: string, code: string) =>
      new MlhError(`Cannot decrypt ${where}: ${message}`, { marketplace: stored.marketplace, code });
    if (typeof value !== 'string' || value.split('.').length !== 5) {
      throw fail('the value is not a JWE (was it written without encryption?)', 'token_not_encrypted');
    }
    const { compactDecrypt } = await loadJose();
    for (const [keyIndex, key] of this.#readKeys.entries()) {
      let plaintext: Uint8Array;
      let header: Record<string, unknown>;
      try {
        ({ plaintext, protectedHeader: header } = await compactDecrypt(value, key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }));
      } catch {
        continue;
      }
      // Decryption succeeded, so the header is authentic: what it says about the record is checked.
      const binding = header[BINDING_HEADER];
      const account = accountBinding(stored);
      if (typeof binding === 'string') {
        if (binding !== account)
          throw fail('the record belongs to another account', 'token_binding_mismatch');
        if (this.#legacyRecords === 'refuse') {
          throw fail(
            'the record is of format 1 (no field binding); run reencrypt() or allow legacyRecords',
            'token_legacy_format',
          );
        }
        return { text: decoder.decode(plaintext), keyIndex, format: 1 };
      }
      const v2 = binding as Partial<BindingV2> | undefined;
      if (v2?.v !== TOKEN_RECORD_FORMAT) {
        throw fail(
          `unknown record format ${String(v2?.v)} (written by a newer version?)`,
          'token_unknown_format',
        );
      }
      if (v2.a !== account) throw fail('the record belongs to another account', 'token_binding_mismatch');
      if (v2.f !== field) {
        throw fail(`the ${field} holds the ciphertext of the ${String(v2.f)}`, 'token_binding_mismatch');
      }
      if (v2.c !== digest) {
        throw fail(
          'its clear fields (expiresAt, refreshExpiresAt, scopes, tokenType, extra or the refresh token) were changed outside the SDK',
          'token_record_altered',
        );
      }
      return { text: decoder.decode(plaintext), keyIndex, format: 2 };
    }
    throw fail('wrong key? (or the record was altered)', 'token_decryption_failed');
  }
}
