import { describe, expect, it } from '@jest/globals';
import { revocationReason } from '../../../src/events/revocation-reasons.js';

describe('CAEP session-revoked reasons', () => {
  it.each([
    ['customer', 'user'],
    ['grant_management', 'user'],
    ['token_revoked', 'user'],
    ['admin', 'admin'],
    ['client_deleted', 'admin'],
    ['user_deleted', 'admin'],
    ['password_changed', 'policy'],
    ['credentials_changed', 'policy'],
    ['code_replay', 'policy'],
    ['refresh_token_replay', 'policy'],
    ['grant_expired', 'policy'],
  ])('%s is initiated by %s, with reasons for staff and customer in ja and en', (reason, entity) => {
    const why = revocationReason(reason);
    expect(why.initiatingEntity).toBe(entity);
    for (const text of [why.admin, why.user]) {
      expect(text.ja).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(text.en).toMatch(/^[A-Z]/);
    }
  });

  it('an unknown reason is said plainly and initiated by the system', () => {
    expect(revocationReason('something_new')).toMatchObject({ initiatingEntity: 'system', admin: { en: 'The grant was revoked.' } });
  });
});
