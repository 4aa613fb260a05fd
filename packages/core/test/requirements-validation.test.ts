import { describe, expect, it } from 'vitest';
import {
  type CategoryAttribute,
  type CategoryRequirements,
  type ListingAttributeValues,
  validateAgainstRequirements,
} from '../src';

const attribute = (
  fields: Partial<CategoryAttribute> & Pick<CategoryAttribute, 'id' | 'name'>,
): CategoryAttribute => ({
  type: 'list',
  required: false,
  conditional: false,
  conditions: [],
  variation: false,
  multiple: false,
  customValues: false,
  values: [],
  units: [],
  raw: {},
  ...fields,
});

const requirements = (fields: Partial<CategoryRequirements>): CategoryRequirements => ({
  marketplace: 'shopee',
  categoryId: '101200',
  attributes: [],
  brand: { required: false, noBrand: undefined },
  certifications: [],
  packageDimensions: { required: undefined },
  weight: { required: undefined },
  preOrder: { allowed: undefined },
  conditions: undefined,
  sizeChart: { supported: undefined, required: undefined },
  raw: {},
  ...fields,
});

const material = attribute({
  id: '100134',
  name: 'Material',
  required: true,
  values: [
    { id: '2311', name: 'Algodão' },
    { id: '2312', name: 'Poliéster' },
  ],
});
const values = (path: string, valueIds: string[], valueNames: string[] = []): ListingAttributeValues => ({
  path,
  valueIds,
  valueNames,
});

describe('validateAgainstRequirements', () => {
  it('names a missing required attribute with its allowed values', () => {
    const issues = validateAgainstRequirements(
      { attributes: {}, attributesPath: 'marketplaceFields.attribute_list' },
      requirements({ attributes: [material] }),
    );
    expect(issues).toEqual([
      {
        path: 'marketplaceFields.attribute_list.100134',
        message: expect.stringContaining('attribute 100134 "Material" is required'),
        code: 'required_attribute',
      },
    ]);
    expect(issues[0]?.message).toContain('2311 "Algodão", 2312 "Poliéster"');
  });

  it('accepts a listed value by id or by name, and refuses one outside the list', () => {
    const req = requirements({ attributes: [material] });
    const listing = (v: ListingAttributeValues) => ({ attributes: { '100134': v }, attributesPath: 'a' });
    expect(validateAgainstRequirements(listing(values('a.0', ['2311'])), req)).toEqual([]);
    expect(validateAgainstRequirements(listing(values('a.0', [], ['poliéster'])), req)).toEqual([]);
    const [issue] = validateAgainstRequirements(listing(values('a.0', ['9999'])), req);
    expect(issue).toMatchObject({ path: 'a.0', code: 'value_not_allowed' });
    expect(issue?.message).toContain('"9999"');
  });

  it('asks for a conditional attribute once the value that triggers it is chosen', () => {
    const battery = attribute({
      id: '2',
      name: 'Battery type',
      customValues: true,
      conditional: true,
      conditions: [{ attributeId: '1', valueId: '10' }],
    });
    const powered = attribute({
      id: '1',
      name: 'Powered',
      values: [
        { id: '10', name: 'Yes' },
        { id: '11', name: 'No' },
      ],
    });
    const req = requirements({ attributes: [powered, battery] });
    const chose = (valueId: string) => ({
      attributes: { '1': values('p', [valueId]) },
      attributesPath: 'attrs',
    });
    expect(validateAgainstRequirements(chose('11'), req)).toEqual([]);
    expect(validateAgainstRequirements(chose('10'), req)).toMatchObject([
      {
        path: 'attrs.2',
        code: 'required_attribute',
        message: expect.stringContaining('by the values chosen'),
      },
    ]);
  });

  it('refuses "no brand" where a brand is required, and missing package dimensions', () => {
    const req = requirements({
      brand: { required: true, noBrand: { id: '0', name: 'NoBrand' } },
      packageDimensions: { required: true },
    });
    const issues = validateAgainstRequirements(
      {
        attributes: {},
        attributesPath: 'a',
        brand: { path: 'marketplaceFields.brand', value: { id: '0', name: 'NoBrand' } },
        packageDimensions: { path: 'marketplaceFields.dimension', given: false },
      },
      req,
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['marketplaceFields.brand', 'required_brand'],
      ['marketplaceFields.dimension', 'required_package_dimensions'],
    ]);
    const branded = validateAgainstRequirements(
      { attributes: {}, attributesPath: 'a', brand: { path: 'b', value: { id: '1146', name: 'JBL' } } },
      req,
    );
    expect(branded).toEqual([]);
  });

  it('checks a required variation attribute on each variant', () => {
    const colour = attribute({
      id: 'COLOR',
      name: 'Colour',
      required: true,
      variation: true,
      customValues: true,
    });
    const issues = validateAgainstRequirements(
      {
        attributes: {},
        attributesPath: 'attributes',
        variants: [
          {
            path: 'variants.0.attributes',
            attributes: { COLOR: values('variants.0.attributes.COLOR', [], ['Red']) },
          },
          { path: 'variants.1.attributes', attributes: {} },
        ],
      },
      requirements({ attributes: [colour] }),
    );
    expect(issues).toMatchObject([{ path: 'variants.1.attributes.COLOR', code: 'required_attribute' }]);
  });

  it('refuses several values for a single-valued attribute', () => {
    const issues = validateAgainstRequirements(
      { attributes: { '100134': values('a', ['2311', '2312']) }, attributesPath: 'a' },
      requirements({ attributes: [material] }),
    );
    expect(issues).toMatchObject([{ code: 'too_many_values' }]);
  });
});
