import type { Logger } from 'pino';

/** SPEC §8 audit events, plus one per admin action (`client.created`, …). */
export type AuditEvent =
  | 'login.success' | 'login.failure' | 'digits.failure'
  | 'additional_auth.required' | 'additional_auth.success' | 'additional_auth.failure'
  | 'account.locked' | 'consent.granted' | 'consent.denied' | 'grant.revoked'
  | `${'client' | 'user' | 'grant' | 'keys' | 'admin'}.${string}`;

export interface AuditFields {
  readonly login_id?: string | undefined;
  readonly sub?: string | undefined;
  readonly client_id?: string | undefined;
  readonly ip?: string | undefined;
  readonly interaction_id?: string | undefined;
  readonly grant_id?: string | undefined;
  readonly reason?: string | readonly string[] | undefined;
  readonly outcome?: string | undefined;
  readonly [extra: string]: unknown;
}

export type Audit = (event: AuditEvent, fields: AuditFields) => void;

/** Audit events are log lines with `audit: true` and an `event` field; never a secret in them. */
export function createAudit(logger: Logger, observe: (event: AuditEvent, fields: AuditFields) => void = () => {}): Audit {
  const audit = logger.child({ audit: true });
  return (event, fields) => {
    audit.info({ event, ...fields }, event);
    observe(event, fields);
  };
}
