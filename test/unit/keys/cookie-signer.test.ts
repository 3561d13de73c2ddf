import { describe, expect, it } from '@jest/globals';
import Keygrip from 'keygrip';
import { CookieSigner } from '../../../src/keys/cookie-signer.js';

describe('CookieSigner', () => {
  const secrets = ['current-secret-0123456789abcdef', 'previous-secret-0123456789abcdef'];

  it('signs as keygrip does, so that cookies signed before stay valid', () => {
    const keygrip = new Keygrip(secrets);
    const signer = new CookieSigner(secrets);
    for (const data of ['_interaction=abc', 'renkei_ix=eyJ1aWQiOiJ4In0', 'ü=😀', '']) {
      expect(signer.sign(data)).toBe(keygrip.sign(data));
      expect(signer.index(data, keygrip.sign(data))).toBe(0);
      expect(keygrip.index(data, signer.sign(data))).toBe(0);
    }
  });

  it('verifies with every secret and says which one signed', () => {
    const signedBefore = new Keygrip([secrets[1]!]).sign('_session=xyz');
    const signer = new CookieSigner(secrets);
    expect(signer.index('_session=xyz', signedBefore)).toBe(1);
    expect(signer.verify('_session=xyz', signedBefore)).toBe(true);
  });

  it('refuses altered data, altered or truncated signatures, and signatures made with other secrets', () => {
    const signer = new CookieSigner(secrets);
    const good = signer.sign('renkei_device=abc');
    expect(signer.verify('renkei_device=abd', good)).toBe(false);
    expect(signer.verify('renkei_device=abc', `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(signer.verify('renkei_device=abc', good.slice(0, -1))).toBe(false);
    expect(signer.verify('renkei_device=abc', '')).toBe(false);
    expect(signer.verify('renkei_device=abc', new Keygrip(['someone else']).sign('renkei_device=abc'))).toBe(false);
  });

  it('answers the same once a signature has been found good: the same index, and other signatures of that data still refused', () => {
    const signer = new CookieSigner(secrets);
    const byPrevious = new Keygrip([secrets[1]!]).sign('_session=xyz');
    const good = signer.sign('_session=xyz');
    for (let i = 0; i < 2; i++) {
      expect(signer.index('_session=xyz', byPrevious)).toBe(1);
      expect(signer.index('_session=xyz', good)).toBe(0);
      expect(signer.verify('_session=xyz', `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
      expect(signer.verify('_session=xyz', good.slice(0, -1))).toBe(false);
      expect(signer.verify('_session=xyw', good)).toBe(false);
      expect(signer.sign('_session=xyz')).toBe(good);
    }
  });

  it('needs a secret', () => {
    expect(() => new CookieSigner([])).toThrow(TypeError);
  });
});
