import { packageBuild } from '../../tsup.shared';

// `signer`: the request signer alone, for apps that only sign (no zod, no transport).
// `lean`: the client with only catalog, inventory, orders and fulfilment; each other capability is
// a module of its own entry (`events`, `categories`, `labels`, `proceeds`, `invoices`, `returns`).
// CommonJS is split too (`splitting`), so every entry shares one copy of each module: a class or a
// per-module state is the same whichever entry an app requires it through.
export default packageBuild(
  {
    index: 'src/index.ts',
    signer: 'src/signer.ts',
    lean: 'src/lean.ts',
    raw: 'src/raw.ts',
    events: 'src/events.ts',
    categories: 'src/categories.ts',
    labels: 'src/labels.ts',
    proceeds: 'src/proceeds.ts',
    invoices: 'src/invoices.ts',
    returns: 'src/returns.ts',
  },
  { splitting: true },
  // Node imports dist/node/ (a few files per entry, a fast first import); bundlers the per-module build.
  { nodeBuild: true },
);
