import type { AdapterPayload } from 'oidc-provider';

/**
 * How a record is stored in Redis: one string (a hash would leave Redis's compact encoding as
 * soon as its payload passes 64 bytes, at about 250 bytes more per record).
 * - `{…}`: the payload's JSON;
 * - `<epoch seconds>{…}`: the same, consumed at that second (the consume script prepends it);
 * - `@<grantId>`: a pointer to the grant that holds the record.
 * Records written before this layout are hashes (`payload` and `consumed`, or `grant`); they are
 * read as before and lapse at their TTL.
 */
export interface StoredRecord {
  readonly payload?: AdapterPayload;
  /** the grant holding the record, when what was read is a pointer */
  readonly grantId?: string;
}

export function encodeRecord(payload: AdapterPayload): string {
  const { consumed, ...rest } = payload;
  if (typeof consumed === 'number' && Number.isInteger(consumed) && consumed > 0) return `${consumed}${JSON.stringify(rest)}`;
  return JSON.stringify(payload);
}

export const encodePointer = (grantId: string) => `@${grantId}`;

function decodeString(value: string): StoredRecord {
  if (value.startsWith('@')) return { grantId: value.slice(1) };
  if (value.startsWith('{')) return { payload: JSON.parse(value) as AdapterPayload };
  const start = value.indexOf('{');
  const payload = JSON.parse(value.slice(start)) as AdapterPayload;
  payload.consumed = Number(value.slice(0, start));
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
export function decodeRecord(reply: readonly string[]): StoredRecord {
  if (reply.length === 0) return {};
  if (reply.length === 1) return decodeString(reply[0]!);
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) hash[reply[i]!] = reply[i + 1]!;
  return decodeHash(hash);
}
