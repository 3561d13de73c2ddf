/** Event type URIs (CAEP 1.0 §3, SSF 1.0 §8.1.4) and the delivery method (RFC 8935). */
export const EVENT_TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
} as const;

/** The event types a partner may ask for (verification events are always sent). */
export const REQUESTABLE_EVENTS: readonly string[] = [EVENT_TYPES.sessionRevoked, EVENT_TYPES.credentialChange];

/** Short names the CLI accepts for --events. */
export const EVENT_SHORT_NAMES: Readonly<Record<string, string>> = {
  'session-revoked': EVENT_TYPES.sessionRevoked,
  'credential-change': EVENT_TYPES.credentialChange,
};

export const PUSH_DELIVERY_METHOD = 'urn:ietf:rfc:8935';

export type InitiatingEntity = 'admin' | 'user' | 'policy' | 'system';
export type LocalizedText = { readonly en: string; readonly ja: string };

/** SSF §3: a subject identifier (RFC 9493) or SSF's complex subject. */
export type SubjectId =
  | { readonly format: 'opaque'; readonly id: string }
  | { readonly format: 'iss_sub'; readonly iss: string; readonly sub: string }
  | {
    readonly format: 'complex';
    readonly user: { readonly format: 'iss_sub'; readonly iss: string; readonly sub: string };
    readonly session?: { readonly format: 'opaque'; readonly id: string };
  };

/** The claims of one SET (RFC 8417 §2.2), as queued: signed only when it is delivered. */
export interface SetClaims {
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly jti: string;
  readonly sub_id: SubjectId;
  readonly events: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One event in a partner's outbox. */
export interface QueuedEvent {
  readonly claims: SetClaims;
  /** the grant the event is about (events of one grant are delivered in order) */
  readonly grantId?: string;
  /** epoch ms when it was queued (delivery latency is measured from here) */
  readonly queuedAt: number;
  /** epoch ms an operator requeued it after it was dead-lettered: its retry period runs again from here */
  readonly requeuedAt?: number;
}
