/**
 * The demo's category step: a listing created in a category `suggestCategories` chose, its
 * required attributes filled from `getCategoryRequirements`, and one refused by the SDK before
 * any call because a required attribute is missing.
 */
import {
  type FieldIssue,
  type MarketplaceClient,
  normalizeProduct,
  type Product,
  requiredAttributes,
  ValidationError,
} from '@mlh/core';
import type { Print } from './report';

/** What the step did, for the summary and the demo test. */
export interface RequirementsOutcome {
  suggested: { categoryId: string; path: string; filled: string[]; productId: string };
  refused: { sku: string; issues: FieldIssue[]; writes: number };
}

const SHEET_TITLE = 'Lençol de casal 150 fios';

/**
 * Runs the step on a Shopee client (bedding has a mandatory attribute and package dimensions).
 * `writes()` counts the marketplace's write calls so far, to show the refusal sent none.
 */
export async function listFromSuggestedCategory(
  client: MarketplaceClient,
  images: readonly string[],
  writes: () => number,
  print: Print,
): Promise<RequirementsOutcome> {
  if (!client.suggestCategories || !client.getCategoryRequirements) {
    throw new Error(`${client.marketplace} has no category suggestions or requirements`);
  }
  const [best] = await client.suggestCategories(SHEET_TITLE, { limit: 1 });
  if (!best) throw new Error(`no category suggested for "${SHEET_TITLE}"`);
  const path = best.path.map((step) => step.name).join(' > ');
  print(`  "${SHEET_TITLE}" → suggested category ${best.categoryId} (${path})`);
  const requirements = await client.getCategoryRequirements(best.categoryId);

  // Each required attribute gets the first value its list offers (a person would choose).
  const required = requiredAttributes(requirements);
  const attributeList = required.flatMap((attribute) => {
    const value = attribute.values[0];
    return value
      ? [{ attribute_id: Number(attribute.id), attribute_value_list: [{ value_id: Number(value.id) }] }]
      : [];
  });
  const filled = required.map((attribute, index) => {
    const value = attribute.values[0];
    return `${attribute.name} = ${value?.name ?? '?'}${index < attributeList.length ? '' : ' (no value)'}`;
  });
  print(
    `  required there: ${filled.join(', ') || 'nothing'}${requirements.packageDimensions.required ? ', package dimensions' : ''}`,
  );
  const fields = {
    category_id: Number(best.categoryId),
    weight: '0.9',
    logistic_info: [{ logistic_id: 90000, enabled: true }],
    brand: { brand_id: 0, original_brand_name: 'NoBrand' },
    dimension: { package_height: 6, package_length: 32, package_width: 24 },
  };
  const sheet = (sku: string): Product =>
    normalizeProduct({
      sku,
      title: SHEET_TITLE,
      description: 'Lençol de algodão, 150 fios, casal.',
      images: [...images],
      price: { amount: '89.90', currency: 'BRL' },
      quantity: 6,
    });
  const created = await client.createProduct(sheet('SHEET-1'), {
    marketplaceFields: { ...fields, attribute_list: attributeList },
  });
  print(`  SHEET-1  created in ${best.categoryId} with its required attributes → ${created.externalId}`);

  // The same listing without the attribute: refused by the SDK, nothing sent.
  const before = writes();
  let issues: FieldIssue[] = [];
  try {
    await client.createProduct(sheet('SHEET-2'), { marketplaceFields: fields });
    throw new Error('SHEET-2 was created without its required attribute');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues = [...error.issues];
  }
  const sent = writes() - before;
  for (const issue of issues) print(`  SHEET-2  refused before any call: ${issue.path}: ${issue.message}`);
  print(`  SHEET-2  write calls made: ${sent}`);
  return {
    suggested: { categoryId: best.categoryId, path, filled, productId: created.externalId ?? '' },
    refused: { sku: 'SHEET-2', issues, writes: sent },
  };
}
