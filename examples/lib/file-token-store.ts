import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MarketplaceId, StoredTokenSet, TokenSet, TokenStore, TokenWriteResult } from '@mlh/core';

interface TokenFile {
  lastVersion: number;
  tokens: Record<string, StoredTokenSet>;
}

/**
 * A `TokenStore` in one JSON file, for scripts and a single process (a server with several
 * processes needs a database: see `@mlh/sync-postgres`). Wrap it in core's `EncryptedTokenStore`
 * so the tokens in the file are JWE, never plain text.
 *
 * Writes go to a temporary file first and are renamed over the old one, so a crash never leaves
 * half a file. Calls are serialized, which keeps compare-and-set exact within the process.
 */
export class FileTokenStore implements TokenStore {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined> {
    return this.#serialized(async () => (await this.#read()).tokens[`${marketplace}:${accountId}`]);
  }

  set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options: { expectedVersion?: number } = {},
  ): Promise<TokenWriteResult> {
    return this.#serialized(async () => {
      const file = await this.#read();
      const key = `${tokens.marketplace}:${tokens.accountId}`;
      const current = file.tokens[key];
      if (options.expectedVersion !== undefined && (current?.version ?? 0) !== options.expectedVersion) {
        return { ok: false, current };
      }
      const { version: _previous, ...fields } = tokens as TokenSet & { version?: number };
      file.lastVersion += 1;
      const stored: StoredTokenSet = { ...fields, version: file.lastVersion };
      file.tokens[key] = stored;
      await this.#write(file);
      return { ok: true, stored };
    });
  }

  delete(marketplace: MarketplaceId, accountId: string): Promise<void> {
    return this.#serialized(async () => {
      const file = await this.#read();
      delete file.tokens[`${marketplace}:${accountId}`];
      await this.#write(file);
    });
  }

  /** Account ids with stored tokens for a marketplace (to find what the OAuth examples saved). */
  accounts(marketplace: MarketplaceId): Promise<string[]> {
    return this.#serialized(async () =>
      Object.values((await this.#read()).tokens)
        .filter((tokens) => tokens.marketplace === marketplace)
        .map((tokens) => tokens.accountId),
    );
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<TokenFile> {
    try {
      return JSON.parse(await readFile(this.#path, 'utf8')) as TokenFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lastVersion: 0, tokens: {} };
      throw error;
    }
  }

  async #write(file: TokenFile): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.#path);
  }
}
