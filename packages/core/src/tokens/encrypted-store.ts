import { CompactEncrypt, compactDecrypt } from 'jose';
import { type MarketplaceId, MlhError, ValidationError } from '../errors';
import type { StoredTokenSet, TokenRefreshLocks, TokenSet, TokenStore, TokenWriteResult } from './types';

/** A 256-bit key: 32 bytes, 64 hex characters, or base64 / base64url of 32 bytes. */
export type TokenEncryptionKey = Uint8Array | string;

/** Options of {@link EncryptedTokenStore}. */
export interface EncryptedTokenStoreOptions {
  /** The key new records are encrypted with. Keep it in a secret manager, never next to the data. */
  key: TokenEncryptionKey;
  /** Older keys still accepted for reading, so a key can be rotated without re-authorizing sellers. */
  previousKeys?: readonly TokenEncryptionKey[];
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

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Header parameter binding a ciphertext to its account, so a record copied to another account fails. */
const BINDING_HEADER = 'mlh';

/**
 * Wraps any {@link TokenStore} so access and refresh tokens are stored as JWE (`dir` +
 * `A256GCM`, jose). Versions and compare-and-set pass through to the wrapped store; everything
 * but the two tokens stays readable for queries. A wrong key fails with a clear {@link MlhError}
 * (code `token_decryption_failed`), never with garbage tokens.
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

  constructor(inner: TokenStore, options: EncryptedTokenStoreOptions) {
    this.#inner = inner;
    if (inner.acquireRefreshLock) {
      const acquire = inner.acquireRefreshLock.bind(inner);
      this.acquireRefreshLock = (marketplace, accountId) => acquire(marketplace, accountId);
    }
    this.#key = decodeTokenEncryptionKey(options.key);
    this.#readKeys = [
      this.#key,
      ...(options.previousKeys ?? []).map((key, index) =>
        decodeTokenEncryptionKey(key, `previousKeys.${index}`),
      ),
    ];
  }

  async get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined> {
    const stored = await this.#inner.get(marketplace, accountId);
    return stored && this.#decryptSet(stored);
  }

  async set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options?: { expectedVersion?: number },
  ): Promise<TokenWriteResult> {
    const binding = `${tokens.marketplace}/${tokens.accountId}`;
    const encrypted = {
      ...tokens,
      accessToken: await this.#encrypt(tokens.accessToken, binding),
      refreshToken:
        tokens.refreshToken === undefined ? undefined : await this.#encrypt(tokens.refreshToken, binding),
    };
    const result = await this.#inner.set(encrypted, options);
    if (result.ok) return { ok: true, stored: await this.#decryptSet(result.stored) };
    return { ok: false, current: result.current && (await this.#decryptSet(result.current)) };
  }

  delete(marketplace: MarketplaceId, accountId: string): Promise<void> {
    return this.#inner.delete(marketplace, accountId);
  }

  async #encrypt(value: string, binding: string): Promise<string> {
    return new CompactEncrypt(encoder.encode(value))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', [BINDING_HEADER]: binding })
      .encrypt(this.#key);
  }

  async #decryptSet(stored: StoredTokenSet): Promise<StoredTokenSet> {
    const binding = `${stored.marketplace}/${stored.accountId}`;
    return {
      ...stored,
      accessToken: await this.#decrypt(stored.accessToken, stored, binding),
      refreshToken:
        stored.refreshToken === undefined
          ? undefined
          : await this.#decrypt(stored.refreshToken, stored, binding),
    };
  }

  async #decrypt(value: string, stored: StoredTokenSet, binding: string): Promise<string> {
    const where = `the stored tokens of ${stored.marketplace} account ${stored.accountId}`;
    if (value.split('.').length !== 5) {
      throw new MlhError(
        `Cannot decrypt ${where}: the value is not a JWE (was it written without encryption?)`,
        {
          marketplace: stored.marketplace,
          code: 'token_not_encrypted',
        },
      );
    }
    for (const key of this.#readKeys) {
      try {
        const { plaintext, protectedHeader } = await compactDecrypt(value, key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        });
        if (protectedHeader[BINDING_HEADER] !== binding) {
          throw new MlhError(`Cannot decrypt ${where}: the record belongs to another account`, {
            marketplace: stored.marketplace,
            code: 'token_binding_mismatch',
          });
        }
        return decoder.decode(plaintext);
      } catch (error) {
        if (error instanceof MlhError) throw error;
      }
    }
    throw new MlhError(`Cannot decrypt ${where}: wrong key? (or the record was altered)`, {
      marketplace: stored.marketplace,
      code: 'token_decryption_failed',
    });
  }
}
