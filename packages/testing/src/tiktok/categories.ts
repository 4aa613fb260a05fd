/**
 * The sandbox's category tree: a small `v1` (3-level) tree in the shape of TikTok Shop Brazil's,
 * with one leaf of each permission status, so apps meet `INVITE_ONLY` and `PROHIBITED` here first.
 */

/** A category of the sandbox tree. */
export interface TikTokSandboxCategory {
  id: string;
  /** `'0'` for a root. */
  parentId: string;
  /** Names per locale; `pt-BR` is the default (a Brazilian shop's locale). */
  names: { 'pt-BR': string; 'en-US': string };
  /** Leaves only. `PROHIBITED` ones are listed only when `include_prohibited_categories=true`. */
  permissionStatuses?: readonly ('AVAILABLE' | 'INVITE_ONLY' | 'NON_MAIN_CATEGORY' | 'PROHIBITED')[];
  /** Title words `categories/recommend` maps to this leaf. */
  keywords?: readonly string[];
}

/** The tree; `601226` is the leaf the sandbox's seeded products use. */
export const TIKTOK_SANDBOX_CATEGORIES: readonly TikTokSandboxCategory[] = Object.freeze([
  { id: '600001', parentId: '0', names: { 'pt-BR': 'Casa e Jardim', 'en-US': 'Home & Garden' } },
  { id: '600024', parentId: '600001', names: { 'pt-BR': 'Cozinha e Mesa', 'en-US': 'Kitchenware' } },
  {
    id: '601226',
    parentId: '600024',
    names: { 'pt-BR': 'Canecas e Xícaras', 'en-US': 'Mugs & Cups' },
    permissionStatuses: ['AVAILABLE'],
    keywords: ['caneca', 'canecas', 'xícara', 'xicara', 'mug', 'cup'],
  },
  {
    id: '600100',
    parentId: '600024',
    names: { 'pt-BR': 'Garrafas Térmicas', 'en-US': 'Vacuum Flasks' },
    permissionStatuses: ['AVAILABLE'],
    keywords: ['garrafa', 'térmica', 'termica', 'squeeze', 'flask', 'bottle'],
  },
  {
    id: '601227',
    parentId: '600024',
    names: { 'pt-BR': 'Facas de Cozinha', 'en-US': 'Kitchen Knives' },
    permissionStatuses: ['INVITE_ONLY'],
    keywords: ['faca', 'facas', 'knife'],
  },
  { id: '824328', parentId: '0', names: { 'pt-BR': 'Moda Feminina', 'en-US': 'Womenswear & Underwear' } },
  { id: '842248', parentId: '824328', names: { 'pt-BR': 'Blusas e Camisetas', 'en-US': 'Tops' } },
  {
    id: '601152',
    parentId: '842248',
    names: { 'pt-BR': 'Camisetas', 'en-US': 'T-shirts' },
    permissionStatuses: ['AVAILABLE'],
    keywords: ['camiseta', 'camisetas', 'blusa', 't-shirt', 'tshirt', 'algodão'],
  },
  { id: '700437', parentId: '0', names: { 'pt-BR': 'Saúde', 'en-US': 'Health' } },
  { id: '700450', parentId: '700437', names: { 'pt-BR': 'Medicamentos', 'en-US': 'Medicines' } },
  {
    id: '700451',
    parentId: '700450',
    names: { 'pt-BR': 'Remédios', 'en-US': 'Drugs' },
    permissionStatuses: ['PROHIBITED'],
    keywords: ['remédio', 'remedio', 'antibiótico', 'antibiotico'],
  },
]);

const byId = new Map(TIKTOK_SANDBOX_CATEGORIES.map((category) => [category.id, category]));

/** The category with this id, or `undefined`. */
export function tiktokSandboxCategory(id: string): TikTokSandboxCategory | undefined {
  return byId.get(id);
}

/** True for a category of the tree that has children (products cannot go there). */
export function isTikTokParentCategory(id: string): boolean {
  return TIKTOK_SANDBOX_CATEGORIES.some((category) => category.parentId === id);
}

/** From the root down to `id` (empty when unknown). */
export function tiktokCategoryChain(id: string): TikTokSandboxCategory[] {
  const chain: TikTokSandboxCategory[] = [];
  for (let current = byId.get(id); current; current = byId.get(current.parentId)) chain.unshift(current);
  return chain;
}

/** The name in a locale; an unknown locale falls back to the shop's language (pt-BR). */
export function tiktokCategoryName(
  category: TikTokSandboxCategory,
  locale: string | null | undefined,
): string {
  return locale === 'en-US' || locale === 'en' ? category.names['en-US'] : category.names['pt-BR'];
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}-]+/u)
      .filter((word) => word !== ''),
  );
}

/** The leaf whose keywords a title uses most, or `undefined`. */
export function recommendTikTokLeaf(
  title: string,
  includeProhibited: boolean,
): TikTokSandboxCategory | undefined {
  const given = words(title);
  let best: { category: TikTokSandboxCategory; score: number } | undefined;
  for (const category of TIKTOK_SANDBOX_CATEGORIES) {
    if (!category.keywords) continue;
    if (!includeProhibited && category.permissionStatuses?.includes('PROHIBITED')) continue;
    const score = category.keywords.filter((keyword) => given.has(keyword)).length;
    if (score > 0 && (best === undefined || score > best.score)) best = { category, score };
  }
  return best?.category;
}

/** An attribute of a sandbox leaf, as Get Attributes sends it (`is_requried`, TikTok's spelling). */
export interface TikTokSandboxAttribute {
  id: string;
  name: string;
  type: 'SALES_PROPERTY' | 'PRODUCT_PROPERTY';
  required?: boolean;
  customizable?: boolean;
  multiple?: boolean;
  valueDataFormat?: string;
  /** Absent for free-text attributes: the key is then left out, as live responses do. */
  values?: readonly { id: string; name: string }[];
  conditions?: readonly { attributeId: string; valueId: string }[];
}

/** What a leaf asks of a listing: its attributes and its rules. */
export interface TikTokSandboxCategoryRules {
  attributes: readonly TikTokSandboxAttribute[];
  packageDimensionRequired: boolean;
  sizeChart: { supported: boolean; required: boolean };
  certifications: readonly {
    id: string;
    name: string;
    required: boolean;
    conditions?: readonly { attributeId: string; valueId: string }[];
  }[];
}

const COLOUR: TikTokSandboxAttribute = {
  id: '100392',
  name: 'Cor',
  type: 'SALES_PROPERTY',
  customizable: true,
  values: [
    { id: '1000059', name: 'Branco' },
    { id: '1000060', name: 'Preto' },
  ],
};
const MATERIAL: TikTokSandboxAttribute = {
  id: '101395',
  name: 'Material',
  type: 'PRODUCT_PROPERTY',
  values: [
    { id: '1001', name: 'Cerâmica' },
    { id: '1002', name: 'Vidro' },
    { id: '1003', name: 'Aço inoxidável' },
  ],
};

/**
 * Rules per leaf. The flask leaf (`600100`) has a required attribute, a conditional one, a
 * conditional certification and required package dimensions; product create and edit enforce
 * them (outside `AS_DRAFT`). Other leaves ask for nothing, so the seeded products stay valid.
 */
export const TIKTOK_SANDBOX_CATEGORY_RULES: Readonly<Record<string, TikTokSandboxCategoryRules>> =
  Object.freeze({
    '600100': {
      attributes: [
        COLOUR,
        { ...MATERIAL, required: true },
        {
          id: '101610',
          name: 'Capacidade',
          type: 'PRODUCT_PROPERTY',
          customizable: true,
          valueDataFormat: 'POSITIVE_INT_OR_DECIMAL',
        },
        {
          id: '102427',
          name: 'Elétrica',
          type: 'PRODUCT_PROPERTY',
          values: [
            { id: '1000058', name: 'Sim' },
            { id: '1000057', name: 'Não' },
          ],
        },
        {
          id: '102428',
          name: 'Voltagem',
          type: 'PRODUCT_PROPERTY',
          multiple: true,
          values: [
            { id: '2001', name: '127 V' },
            { id: '2002', name: '220 V' },
          ],
          conditions: [{ attributeId: '102427', valueId: '1000058' }],
        },
      ],
      packageDimensionRequired: true,
      sizeChart: { supported: false, required: false },
      certifications: [
        {
          id: '7001',
          name: 'Certificado INMETRO',
          required: false,
          conditions: [{ attributeId: '102427', valueId: '1000058' }],
        },
      ],
    },
  });

const NO_RULES: TikTokSandboxCategoryRules = {
  attributes: [COLOUR, MATERIAL],
  packageDimensionRequired: false,
  sizeChart: { supported: true, required: false },
  certifications: [],
};

/** The rules of a leaf (a leaf without its own asks only for optional colour and material). */
export function tiktokCategoryRules(categoryId: string): TikTokSandboxCategoryRules {
  return TIKTOK_SANDBOX_CATEGORY_RULES[categoryId] ?? NO_RULES;
}

/** Ids of the required attributes a product body lacks, given the values it sends. */
export function missingTikTokAttributes(
  categoryId: string,
  productAttributes: readonly { id?: unknown; values?: readonly { id?: unknown; name?: unknown }[] }[],
): string[] {
  const sent = new Map<string, string[]>();
  for (const attribute of productAttributes) {
    if (typeof attribute.id !== 'string') continue;
    sent.set(
      attribute.id,
      (attribute.values ?? []).map((value) => String(value.id ?? value.name ?? '')).filter((v) => v !== ''),
    );
  }
  return tiktokCategoryRules(categoryId)
    .attributes.filter((attribute) => attribute.type === 'PRODUCT_PROPERTY')
    .filter(
      (attribute) =>
        attribute.required ||
        (attribute.conditions ?? []).some((condition) =>
          sent.get(condition.attributeId)?.includes(condition.valueId),
        ),
    )
    .filter((attribute) => (sent.get(attribute.id) ?? []).length === 0)
    .map((attribute) => attribute.id);
}
