import { packageBuild } from '../../tsup.shared';

// `hmac`: the synchronous HMAC for request signing, portable (pure JS); `hmac.node`: the same
// functions on node:crypto, chosen by the `node` export condition of `@mlh/core/hmac`.
// `index.node`: the main entry with parseOrThrow's fast path, chosen by the `node` condition of `.`.
// `zod`: the zod the adapters' builds import (`@mlh/core/zod`), so a process loads one copy.
// `nodeBuild`: Node imports dist/node/ (a few files per entry, a fast first import); bundlers the
// per-module build. `bundled-for-node`: the Node builds (ESM and CommonJS) bundle zod, which Node
// then reads as one file instead of zod's hundred.
export default packageBuild(
  {
    index: 'src/index.ts',
    'index.node': 'src/index.node.ts',
    hmac: 'src/hmac.ts',
    'hmac.node': 'src/hmac.node.ts',
    zod: 'src/zod.ts',
  },
  {},
  { nodeBuild: true, zod: 'bundled-for-node' },
);
