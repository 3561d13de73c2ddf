import type Provider from 'oidc-provider';

type Grant = InstanceType<Provider['Grant']>;

/** Grant Management §6 query response: `{ scopes: [{ scope, resource? }], claims?, authorization_details?, created_at, expires_at }`. */
export function grantQueryResponse(grant: Grant, createdAt: number | undefined) {
  const scopes: { scope: string; resource?: string[] }[] = [];
  const openid = grant.getOIDCScope();
  if (openid) scopes.push({ scope: openid });
  for (const [resource, scope] of Object.entries(grant.resources ?? {})) if (scope) scopes.push({ scope, resource: [resource] });
  const claims = grant.openid?.claims ?? [];
  return {
    scopes,
    ...(claims.length ? { claims } : {}),
    ...(grant.rar?.length ? { authorization_details: grant.rar } : {}),
    ...(createdAt !== undefined ? { created_at: Math.floor(createdAt / 1000) } : grant.iat ? { created_at: grant.iat } : {}),
    ...(grant.exp ? { expires_at: grant.exp } : {}),
  };
}
