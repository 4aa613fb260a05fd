import { packageBuild } from '../../tsup.shared';

// `hmac`: the synchronous HMAC for request signing, portable (pure JS); `hmac.node`: the same
// functions on node:crypto, chosen by the `node` export condition of `@mlh/core/hmac`.
// `index.node`: the main entry with parseOrThrow's fast path, chosen by the `node` condition of `.`.
// `nodeBuild`: Node imports dist/node/ (a few files per entry, a fast first import); bundlers the
// per-module build.
export default packageBuild(
  {
    index: 'src/index.ts',
    'index.node': 'src/index.node.ts',
    hmac: 'src/hmac.ts',
    'hmac.node': 'src/hmac.node.ts',
  },
  {},
  { nodeBuild: true },
);
