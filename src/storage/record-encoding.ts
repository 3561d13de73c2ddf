import type { AdapterPayload } from 'oidc-provider';

/**
 * How a record is stored in Redis: one string (a hash would leave Redis's compact encoding as
 * soon as its payload passes 64 bytes, at about 250 bytes more per record).
 * - `{…}`: the payload's JSON;
 * - `<epoch seconds>{…}`: the same, consumed at that second (the consume script prepends it);
 * - `@<grantId>`: a pointer to the grant that holds the record.
 * What the key already says is left out of the JSON and put back when read: `kind` (the model),
 * `jti` (the id) and, for a record held by its grant, `grantId` (about 130 bytes per token). An
 * access token or code also leaves out `accountId` and `clientId` when its grant holds the same
 * (checked by the script that stores it); they are put back from the grant, read with it.
 * Records written before this layout are hashes (`payload` and `consumed`, or `grant`); they are
 * read as before and lapse at their TTL.
 */
export interface StoredRecord {
  readonly payload?: AdapterPayload;
  /** the grant holding the record, when what was read is a pointer */
  readonly grantId?: string;
}

/** Whose record a stored value is: what its key says. */
export interface RecordIdentity {
  readonly model: string;
  readonly id: string;
  /** the grant whose slot holds the record (it is stored there only when its payload names that grant) */
  readonly grantId?: string;
}

export function encodeRecord(payload: AdapterPayload, identity: RecordIdentity): string {
  // built up rather than deleted from: objects that lose properties are slow to serialise
  const { consumed, kind, jti, grantId, ...stored } = payload as AdapterPayload & Record<string, unknown>;
  if (kind !== undefined && kind !== identity.model) stored.kind = kind;
  if (jti !== undefined && jti !== identity.id) stored.jti = jti;
  if (grantId !== undefined && (identity.grantId === undefined || grantId !== identity.grantId)) stored.grantId = grantId;
  const json = JSON.stringify(stored);
  if (typeof consumed === 'number' && Number.isInteger(consumed) && consumed > 0) return `${consumed}${json}`;
  if (consumed === undefined) return json;
  stored.consumed = consumed;
  return JSON.stringify(stored);
}

export const encodePointer = (grantId: string) => `@${grantId}`;

function decodeString(value: string, identity: RecordIdentity): StoredRecord {
  if (value.startsWith('@')) return { grantId: value.slice(1) };
  const start = value.indexOf('{');
  const payload = JSON.parse(start === 0 ? value : value.slice(start)) as AdapterPayload;
  payload.kind ??= identity.model;
  payload.jti ??= identity.id;
  if (identity.grantId !== undefined) payload.grantId ??= identity.grantId;
  if (start > 0) payload.consumed = Number(value.slice(0, start));
  return { payload };
}

function decodeHash(hash: Record<string, string>): StoredRecord {
  if (hash.grant) return { grantId: hash.grant };
  if (!hash.payload) return {};
  const payload = JSON.parse(hash.payload) as AdapterPayload;
  if (hash.consumed) payload.consumed = Number(hash.consumed);
  return { payload };
}

/** A record as the scripts read it: {value} for a string, the hash's flat field list, or nothing. */
export function decodeRecord(reply: readonly string[], identity: RecordIdentity): StoredRecord {
  if (reply.length === 0) return {};
  if (reply.length === 1) return decodeString(reply[0]!, identity);
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) hash[reply[i]!] = reply[i + 1]!;
  return decodeHash(hash);
}

/**
 * Short-lived grant members that leave out what their grant says (refresh tokens keep it: an
 * earlier version reading them after a rollback finds them whole).
 */
const LEAN_MODELS: ReadonlySet<string> = new Set(['AccessToken', 'AuthorizationCode']);

/** A grant member's stored value, and what the grant must hold for it to be stored that way. */
export interface GrantMemberValue {
  /** the record without `accountId` and `clientId` when `fromGrant` is set, else whole */
  readonly value: string;
  /** `"accountId":…,"clientId":…` (JSON object members) as left out of `value`; '' when nothing is */
  readonly fromGrant: string;
}

export function encodeGrantMember(payload: AdapterPayload, identity: RecordIdentity): GrantMemberValue {
  const { accountId, clientId, ...rest } = payload;
  if (!LEAN_MODELS.has(identity.model) || typeof accountId !== 'string' || typeof clientId !== 'string') {
    return { value: encodeRecord(payload, identity), fromGrant: '' };
  }
  return { value: encodeRecord(rest, identity), fromGrant: JSON.stringify({ accountId, clientId }).slice(1, -1) };
}

/**
 * A grant member as oidc-provider reads it: one stored without `clientId` (every code and token
 * oidc-provider writes has one) gets `accountId` and `clientId` back from its grant. With its grant
 * gone nothing puts them back; oidc-provider refuses a code or token whose grant is gone anyway.
 */
export function withGrantFields(member: AdapterPayload | undefined, grant: AdapterPayload | undefined): AdapterPayload | undefined {
  if (!member || member.clientId !== undefined || typeof grant?.clientId !== 'string' || typeof grant.accountId !== 'string') return member;
  member.accountId = grant.accountId;
  member.clientId = grant.clientId;
  return member;
}
