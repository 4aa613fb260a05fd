import { createMemorySyncStore } from '../src/index';
import { describeReturnRestock } from './support/return-restock-battery';

describeReturnRestock('memory', async () => ({ store: createMemorySyncStore() }));
