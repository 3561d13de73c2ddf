import { describe, expect, it } from '@jest/globals';
import type { AdapterPayload } from 'oidc-provider';
import { createMemoryAdapterFactory, MemoryStore } from '../../../src/storage/memory-adapter.js';
import { describeAdapterContract } from './adapter-contract.js';

const factory = createMemoryAdapterFactory();
describeAdapterContract('in-memory', () => factory);

describe('in-memory grant index', () => {
  it('forgets expired records of a grant when the grant gains a record', async () => {
    let now = 1_800_000_000_000;
    const store = new MemoryStore(() => now);
    const make = createMemoryAdapterFactory(store);
    await make('AuthorizationCode').upsert('code', { kind: 'AuthorizationCode', jti: 'code', grantId: 'g' } as AdapterPayload, 60);
    await make('AccessToken').upsert('at', { kind: 'AccessToken', jti: 'at', grantId: 'g' } as AdapterPayload, 600);
    expect(store.grants.get('g')?.members.size).toBe(2);

    now += 61_000;
    await make('AccessToken').upsert('at2', { kind: 'AccessToken', jti: 'at2', grantId: 'g' } as AdapterPayload, 600);
    expect([...store.grants.get('g')!.members]).toEqual(['AccessToken:at', 'AccessToken:at2']);
  });
});
