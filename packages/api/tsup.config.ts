import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  postgres: 'src/postgres.ts',
  testing: 'src/testing.ts',
});
