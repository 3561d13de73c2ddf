import { describe, expect, it } from '@jest/globals';
import { opaqueIdBits } from '../../../src/provider/opaque-id-lengths.js';

const bitsOf = (kind: string) => opaqueIdBits(undefined as never, { kind } as unknown as Parameters<typeof opaqueIdBits>[1]);

describe('opaque id lengths', () => {
  it('gives grant ids 128 random bits and keeps 256 for every bearer value', () => {
    expect(bitsOf('Grant')).toBe(128);
    for (const kind of ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'Session', 'Interaction', 'DeviceCode', 'BackchannelAuthenticationRequest', 'ClientCredentials']) {
      expect(bitsOf(kind)).toBe(256);
    }
  });
});
