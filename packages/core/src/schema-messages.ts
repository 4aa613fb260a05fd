import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod/mini (the SDK's schemas, for a small bundle) loads no locale, so without this every issue
 * would read "Invalid input". The SDK's `ValidationError`s name what is wrong in words, so the
 * modules that build or check schemas install zod's English messages, unless the application
 * configured a locale of its own first (`z.config(...)`), which is then kept.
 */
export function useEnglishSchemaMessages(): void {
  if (!z.config().localeError) z.config(en());
}
