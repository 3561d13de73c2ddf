import type { InitiatingEntity, LocalizedText } from './event-types.js';

interface RevocationReason {
  readonly initiatingEntity: InitiatingEntity;
  /** for the partner's staff (CAEP reason_admin) */
  readonly admin: LocalizedText;
  /** what the partner may show the customer (CAEP reason_user) */
  readonly user: LocalizedText;
}

const BY_OPERATOR: LocalizedText = { ja: '金融機関が連携を解除しました。', en: 'The bank ended the connection.' };
const SIGN_IN_AGAIN: LocalizedText = {
  ja: '安全のため連携を解除しました。もう一度連携してください。',
  en: 'The connection was ended for your security. Please connect again.',
};

/**
 * Why a grant ended (the `reason` every caller of revokeCustomerGrant gives), as CAEP
 * session-revoked says it: who initiated it and the reasons for staff and for the customer.
 */
const REASONS: Readonly<Record<string, RevocationReason>> = {
  customer: {
    initiatingEntity: 'user',
    admin: { ja: 'お客様が連携サービス管理で連携を解除しました。', en: 'The customer ended the connection in connected services management.' },
    user: { ja: 'お客様のご操作により連携を解除しました。', en: 'You ended the connection.' },
  },
  grant_management: {
    initiatingEntity: 'user',
    admin: { ja: '連携先が Grant Management API で連携を解除しました。', en: 'The partner ended the grant through the Grant Management API.' },
    user: { ja: '連携を解除しました。', en: 'The connection was ended.' },
  },
  token_revoked: {
    initiatingEntity: 'user',
    admin: { ja: '連携先がトークンを取り消しました（アクセストークンまたはリフレッシュトークン）。', en: 'The partner revoked one of its tokens (an access or refresh token).' },
    user: { ja: '連携を解除しました。', en: 'The connection was ended.' },
  },
  logout: {
    initiatingEntity: 'user',
    admin: { ja: 'お客様のログアウトにより連携を終了しました。', en: 'The connection ended when the customer logged out.' },
    user: { ja: 'ログアウトにより連携を終了しました。', en: 'The connection ended when you logged out.' },
  },
  admin: {
    initiatingEntity: 'admin',
    admin: { ja: '金融機関の担当者が連携を解除しました。', en: "The bank's staff revoked the grant." },
    user: BY_OPERATOR,
  },
  client_deleted: {
    initiatingEntity: 'admin',
    admin: { ja: '金融機関が連携先の登録を削除しました。', en: 'The bank removed the partner registration.' },
    user: BY_OPERATOR,
  },
  user_deleted: {
    initiatingEntity: 'admin',
    admin: { ja: '金融機関がお客様の登録を削除しました。', en: "The bank removed the customer's registration." },
    user: BY_OPERATOR,
  },
  password_changed: {
    initiatingEntity: 'policy',
    admin: { ja: 'お客様のパスワードが変更されたため連携を解除しました。', en: "The customer's password changed; every grant ends." },
    user: SIGN_IN_AGAIN,
  },
  credentials_changed: {
    initiatingEntity: 'policy',
    admin: { ja: 'お客様の認証情報（秘密の質問の答えまたは利用者番号）が変更されたため連携を解除しました。', en: "The customer's secret answer or user number changed; every grant ends." },
    user: SIGN_IN_AGAIN,
  },
  code_replay: {
    initiatingEntity: 'policy',
    admin: { ja: '認可コードが再使用されたため連携を解除しました。', en: 'An authorization code was used twice; the grant was revoked.' },
    user: SIGN_IN_AGAIN,
  },
  refresh_token_replay: {
    initiatingEntity: 'policy',
    admin: { ja: '使用済みのリフレッシュトークンが再使用されたため連携を解除しました。', en: 'A rotated refresh token was used again; the grant was revoked.' },
    user: SIGN_IN_AGAIN,
  },
  grant_expired: {
    initiatingEntity: 'policy',
    admin: { ja: '連携の有効期限が切れました。', en: 'The grant expired.' },
    user: { ja: '連携の有効期限が切れました。もう一度連携してください。', en: 'The connection expired. Please connect again.' },
  },
};

const UNKNOWN: RevocationReason = {
  initiatingEntity: 'system',
  admin: { ja: '連携を解除しました。', en: 'The grant was revoked.' },
  user: { ja: '連携を解除しました。', en: 'The connection was ended.' },
};

export function revocationReason(reason: string): RevocationReason {
  return REASONS[reason] ?? UNKNOWN;
}
