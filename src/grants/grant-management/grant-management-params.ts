import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { InvalidGrantId } from './grant-management-errors.js';
import { renkeiMetadata } from '../../provider/client-metadata.js';

export const GRANT_MANAGEMENT_ACTIONS = ['create', 'merge', 'replace'] as const;
export type GrantManagementAction = (typeof GRANT_MANAGEMENT_ACTIONS)[number];
type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

export const usesGrantManagement = (client: Client | undefined) => (client !== undefined && renkeiMetadata(client).grant_management === true);

/** The action of this authorization request, when it names one. */
export function grantManagementAction(params: Record<string, unknown> | undefined): GrantManagementAction | undefined {
  const action = params?.grant_management_action;
  return (GRANT_MANAGEMENT_ACTIONS as readonly unknown[]).includes(action) ? (action as GrantManagementAction) : undefined;
}

/**
 * The authorization request parameters of Grant Management (checked at /auth and PAR): an action
 * among create, merge and replace, by a client registered for it; merge and replace name a grant
 * of this client (its customer is checked once known, in loadExistingGrant); create names none.
 */
export const grantManagementParams = {
  async grant_management_action(ctx: KoaContextWithOIDC, value: string | undefined, client: Client) {
    const grantId = ctx.oidc.params?.grant_id as string | undefined;
    if (value === undefined && grantId === undefined) return;
    if (!usesGrantManagement(client)) throw new errors.InvalidRequest('this client is not registered for grant management');
    if (value === undefined) throw new errors.InvalidRequest('grant_id needs grant_management_action (merge or replace)');
    if (!(GRANT_MANAGEMENT_ACTIONS as readonly string[]).includes(value)) throw new errors.InvalidRequest(`grant_management_action must be one of ${GRANT_MANAGEMENT_ACTIONS.join(', ')}`);
    if (value === 'create' && grantId !== undefined) throw new errors.InvalidRequest('grant_management_action=create takes no grant_id');
    if (value !== 'create' && grantId === undefined) throw new errors.InvalidRequest(`grant_management_action=${value} needs a grant_id`);
  },
  async grant_id(ctx: KoaContextWithOIDC, value: string | undefined, client: Client) {
    if (value === undefined) return;
    const grant = await ctx.oidc.provider.Grant.find(value);
    if (!grant || grant.clientId !== client.clientId) throw new InvalidGrantId();
  },
};
