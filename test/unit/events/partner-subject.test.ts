import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { createPartnerSubject } from '../../../src/events/partner-subject.js';
import { createPairwiseIdentifier } from '../../../src/provider/pairwise-subject.js';

const dataKeys = [{ kid: 'k1', key: randomBytes(32) }];

describe("the partner's view of sub", () => {
  it('is the customer id for a public client', async () => {
    expect(await createPartnerSubject(dataKeys)('sub-1', { redirect_uris: ['https://a.example/cb'] })).toBe('sub-1');
  });

  it('is the pairwise value oidc-provider gives a pairwise client (sector = host of the first redirect URI)', async () => {
    const expected = await createPairwiseIdentifier(dataKeys)({} as KoaContextWithOIDC, 'sub-1', { sectorIdentifier: 'a.example:8443' });
    const seen = await createPartnerSubject(dataKeys)('sub-1', { subject_type: 'pairwise', redirect_uris: ['https://a.example:8443/cb', 'https://a.example:8443/cb2'] });
    expect(seen).toBe(expected);
    expect(seen).not.toBe('sub-1');
  });
});
