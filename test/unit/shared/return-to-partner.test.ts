import { describe, expect, it } from '@jest/globals';
import { partnerErrorFor, partnerReturnOf, returnToPartner } from '../../../src/shared/return-to-partner.js';

const CLIENT = { clientId: 'c1', partnerName: 'テスト家計簿アプリ', redirectUris: ['https://partner.example/cb', 'https://partner.example/cb?tenant=7'] };

describe('partnerErrorFor (SPEC §3: the matching OAuth error)', () => {
  it.each([
    [403, 'locked', 'access_denied'],
    [200, 'cancelled', 'access_denied'],
    [400, 'expired', 'login_required'],
    [429, undefined, 'temporarily_unavailable'],
    [503, undefined, 'temporarily_unavailable'],
    [500, undefined, 'server_error'],
    [413, undefined, 'invalid_request'],
  ] as const)('%i %s → %s', (status, reason, error) => {
    expect(partnerErrorFor(status, reason)).toBe(error);
  });
});

describe('partnerReturnOf', () => {
  it('offers the way back to a registered redirect_uri answered in the query, the fragment or by form_post', () => {
    expect(partnerReturnOf({ redirect_uri: 'https://partner.example/cb', state: 's' }, CLIENT)).toEqual({
      clientId: 'c1', partnerName: 'テスト家計簿アプリ', redirectUri: 'https://partner.example/cb', state: 's', responseMode: 'query',
    });
    expect(partnerReturnOf({ redirect_uri: 'https://partner.example/cb', response_mode: 'form_post' }, CLIENT)?.responseMode).toBe('form_post');
    expect(partnerReturnOf({ redirect_uri: 'https://partner.example/cb', response_mode: 'fragment' }, CLIENT)?.responseMode).toBe('fragment');
  });

  it('offers none to an unregistered redirect_uri, for JARM or an unknown mode', () => {
    expect(partnerReturnOf({ redirect_uri: 'https://evil.example/cb' }, CLIENT)).toBeUndefined();
    expect(partnerReturnOf({}, CLIENT)).toBeUndefined();
    for (const mode of ['jwt', 'query.jwt', 'form_post.jwt', 'fragment.jwt', 'web_message', '']) {
      expect(partnerReturnOf({ redirect_uri: 'https://partner.example/cb', response_mode: mode }, CLIENT)).toBeUndefined();
    }
  });
});

describe('returnToPartner', () => {
  it('adds error, state and iss to the redirect_uri, keeping its own query', () => {
    const back = returnToPartner('https://bank.example', { clientId: 'c1', partnerName: 'P', redirectUri: 'https://partner.example/cb?tenant=7', state: 'a b&c', responseMode: 'query' }, 'access_denied');
    expect(back).toEqual({ partnerName: 'P', url: 'https://partner.example/cb?tenant=7&error=access_denied&state=a+b%26c&iss=https%3A%2F%2Fbank.example', method: 'get' });
  });

  it('puts error, state and iss in the fragment for response_mode=fragment, keeping the query as registered', () => {
    const back = returnToPartner('https://bank.example', { clientId: 'c1', partnerName: 'P', redirectUri: 'https://partner.example/cb?tenant=7', state: 's', responseMode: 'fragment' }, 'access_denied');
    expect(back).toEqual({ partnerName: 'P', url: 'https://partner.example/cb?tenant=7#error=access_denied&state=s&iss=https%3A%2F%2Fbank.example', method: 'get' });
  });

  it('posts for form_post and leaves state out when the request had none', () => {
    const back = returnToPartner('https://bank.example', { clientId: 'c1', partnerName: 'P', redirectUri: 'https://partner.example/cb', responseMode: 'form_post' }, 'login_required');
    expect(back).toEqual({ partnerName: 'P', url: 'https://partner.example/cb?error=login_required&iss=https%3A%2F%2Fbank.example', method: 'post' });
  });
});
