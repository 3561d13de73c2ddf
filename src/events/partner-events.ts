import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClientRecord } from '../clients/client-record.js';
import type { EventOutbox } from './event-outbox.js';
import { EVENT_TYPES, REQUESTABLE_EVENTS, type LocalizedText, type SetClaims, type SubjectId } from './event-types.js';
import type { GrantExpiries } from './grant-expiries.js';
import { revocationReason } from './revocation-reasons.js';

export type ChangedCredential = 'password' | 'answer' | 'user_number';

/** CAEP credential-change: what changed, never the secret itself. */
const CREDENTIALS: Readonly<Record<ChangedCredential, { type: string; name: string; admin: LocalizedText }>> = {
  password: { type: 'password', name: 'password', admin: { ja: 'お客様のパスワードが変更されました。', en: "The customer's password changed." } },
  answer: { type: 'password', name: 'secret answer', admin: { ja: 'お客様の秘密の質問の答えが変更されました。', en: "The customer's secret answer changed." } },
  user_number: { type: 'pin', name: 'user number', admin: { ja: 'お客様の利用者番号が変更されました。', en: "The customer's user number changed." } },
};
const CREDENTIAL_USER_REASON: LocalizedText = { ja: 'お客様の認証情報が変更されました。', en: 'Your sign-in details changed.' };

export interface PartnerEventsDependencies {
  readonly issuer: string;
  readonly outbox: EventOutbox;
  readonly expiries: GrantExpiries;
  /** the stored client record (disabled ones too) */
  readonly findClient: (clientId: string) => Promise<ClientRecord | undefined>;
  readonly partnerSubject: (sub: string, client: ClientRecord) => Promise<string>;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface GrantRef {
  readonly clientId: string;
  readonly grantId: string;
}

/**
 * Turns what happened to a customer's access into SETs for the partners that asked for them, and
 * queues them in the outbox (SPEC §9). Signing and delivery happen later, in the worker.
 */
export class PartnerEvents {
  private readonly now: () => number;

  constructor(private readonly deps: PartnerEventsDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * CAEP session-revoked for one grant that ended (queued before the grant is removed). The grant
   * stops being watched for its expiry only once the event is queued: a failure leaves it watched,
   * so that its end is still reported (by the expiry sweep, at the latest).
   */
  async sessionRevoked(sub: string, grant: GrantRef, reason: string): Promise<void> {
    const client = await this.subscribed(grant.clientId, EVENT_TYPES.sessionRevoked);
    if (client) {
      const why = revocationReason(reason);
      await this.queue(client, await this.subject(sub, client, grant.grantId), EVENT_TYPES.sessionRevoked, {
        initiating_entity: why.initiatingEntity,
        reason_admin: why.admin,
        reason_user: why.user,
      }, grant.grantId);
    }
    await this.deps.expiries.untrack({ ...grant, sub });
  }

  /** CAEP credential-change to each partner holding one of these grants. */
  async credentialChanged(sub: string, grants: readonly GrantRef[], credential: ChangedCredential): Promise<void> {
    const what = CREDENTIALS[credential];
    for (const grant of grants) {
      const client = await this.subscribed(grant.clientId, EVENT_TYPES.credentialChange);
      if (!client) continue;
      await this.queue(client, await this.subject(sub, client, grant.grantId), EVENT_TYPES.credentialChange, {
        credential_type: what.type,
        change_type: 'update',
        friendly_name: what.name,
        initiating_entity: 'admin',
        reason_admin: what.admin,
        reason_user: CREDENTIAL_USER_REASON,
      }, grant.grantId);
    }
  }

  /** SSF §8.1.4 verification event; the stream is the partner's one stream, its id the client_id. Gives the jti. */
  async verify(clientId: string, state?: string): Promise<string | undefined> {
    const client = await this.deps.findClient(clientId);
    if (!client?.events_endpoint) return undefined;
    return this.queue(client, { format: 'opaque', id: clientId }, EVENT_TYPES.verification, state !== undefined ? { state } : {});
  }

  async trackGrant(grant: GrantRef & { sub: string }, expiresAt: number): Promise<void> {
    await this.deps.expiries.track(grant, expiresAt);
  }

  private async subscribed(clientId: string, type: string): Promise<ClientRecord | undefined> {
    const client = await this.deps.findClient(clientId);
    if (!client?.events_endpoint) return undefined;
    return (client.events_requested ?? REQUESTABLE_EVENTS).includes(type) ? client : undefined;
  }

  private async subject(sub: string, client: ClientRecord, grantId: string): Promise<SubjectId> {
    return {
      format: 'complex',
      user: { format: 'iss_sub', iss: this.deps.issuer, sub: await this.deps.partnerSubject(sub, client) },
      session: { format: 'opaque', id: grantId },
    };
  }

  private async queue(client: ClientRecord, subject: SubjectId, type: string, payload: Record<string, unknown>, grantId?: string): Promise<string> {
    const now = this.now();
    const claims: SetClaims = {
      iss: this.deps.issuer,
      aud: client.client_id,
      iat: Math.floor(now / 1000),
      jti: randomUUID(),
      sub_id: subject,
      events: { [type]: { ...(type === EVENT_TYPES.verification ? {} : { event_timestamp: Math.floor(now / 1000) }), ...payload } },
    };
    await this.deps.outbox.append(client.client_id, {
      claims,
      ...(grantId ? { grantId } : {}),
      queuedAt: now,
      target: { endpoint: client.events_endpoint!, ...(client.events_authorization_sealed ? { authorizationSealed: client.events_authorization_sealed } : {}) },
    });
    this.deps.logger.info({ event: 'event.queued', client_id: client.client_id, jti: claims.jti, type, grant_id: grantId }, 'event queued for the partner');
    return claims.jti;
  }
}
