import { packageBuild } from '../../tsup.shared';

// `signer`: the request signer alone, for apps that only sign (no zod, no transport).
export default packageBuild({ index: 'src/index.ts', signer: 'src/signer.ts' });
