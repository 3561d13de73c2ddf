import { createMemoryAdapterFactory } from '../../../src/storage/memory-adapter.js';
import { describeAdapterContract } from './adapter-contract.js';

const factory = createMemoryAdapterFactory();
describeAdapterContract('in-memory', () => factory);
