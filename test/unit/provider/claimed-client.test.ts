import { describe, expect, it } from '@jest/globals';
import { UnsecuredJWT } from 'jose';
import { claimedClientId } from '../../../src/provider/claimed-client.js';

const basic = (user: string, password = 'secret') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('claimedClientId (the client a token-endpoint request names, before it is verified)', () => {
  it('takes the HTTP Basic user, form-urlencoded as RFC 6749 §2.3.1 says, over anything in the body', () => {
    expect(claimedClientId(basic('partner%20one'), form({ client_id: 'other' }))).toBe('partner one');
    expect(claimedClientId(basic('a+b'), form({}))).toBe('a b');
  });

  it('names nobody for a malformed Authorization header', () => {
    expect(claimedClientId('Bearer abc', form({ client_id: 'x' }))).toBeUndefined();
    expect(claimedClientId(`Basic ${Buffer.from('no-colon').toString('base64')}`, form({}))).toBeUndefined();
    expect(claimedClientId(basic('%E0%A4%A'), form({}))).toBeUndefined();
  });

  it('takes client_id from the body, else the client assertion\'s sub', () => {
    expect(claimedClientId('', form({ client_id: 'partner-1' }))).toBe('partner-1');
    const assertion = new UnsecuredJWT({ sub: 'partner-2', iss: 'partner-2' }).encode();
    expect(claimedClientId('', form({ client_assertion: assertion }))).toBe('partner-2');
    expect(claimedClientId('', form({ client_assertion: 'not a jwt' }))).toBeUndefined();
    expect(claimedClientId('', form({}))).toBeUndefined();
  });
});
