import { errors, type AuthorizationDetail } from 'oidc-provider';

/** RFC 9396 type for reading a customer's accounts; `accounts` is added by us once the customer has chosen. */
export const ACCOUNT_INFORMATION = 'account_information';
export const ACCOUNT_ACTIONS = ['balances', 'transactions'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export interface AccountInformationDetail extends AuthorizationDetail {
  type: typeof ACCOUNT_INFORMATION;
  actions: AccountAction[];
  locations?: string[];
  accounts?: string[];
}

/** The catalogue scopes that ask for account information, and the RAR action each stands for. */
export const SCOPE_ACTIONS: Readonly<Record<string, AccountAction>> = { accounts: 'balances', transactions: 'transactions' };
export const ACTION_SCOPES: Readonly<Record<AccountAction, string>> = { balances: 'accounts', transactions: 'transactions' };

const ALLOWED_FIELDS = new Set(['type', 'actions', 'locations']);

/** Checks one requested detail of our type: known fields only, actions ⊆ ACCOUNT_ACTIONS, locations ⊆ the bank APIs. */
export function validateAccountInformation(detail: AuthorizationDetail, resources: readonly string[]): void {
  const unknown = Object.keys(detail).filter((field) => !ALLOWED_FIELDS.has(field));
  if (unknown.length) throw new errors.InvalidAuthorizationDetails(`unsupported ${ACCOUNT_INFORMATION} fields: ${unknown.join(', ')}`);
  const actions = detail.actions as unknown;
  if (!Array.isArray(actions) || actions.length === 0) throw new errors.InvalidAuthorizationDetails(`${ACCOUNT_INFORMATION} needs actions (${ACCOUNT_ACTIONS.join(', ')})`);
  const badAction = actions.find((action) => !(ACCOUNT_ACTIONS as readonly unknown[]).includes(action));
  if (badAction !== undefined) throw new errors.InvalidAuthorizationDetails(`unsupported ${ACCOUNT_INFORMATION} action ${String(badAction)}`);
  const badLocation = ((detail.locations as string[] | undefined) ?? []).find((location) => !resources.includes(location));
  if (badLocation !== undefined) throw new errors.InvalidAuthorizationDetails(`unknown location ${badLocation}`);
}

const isAccountInformation = (detail: unknown): detail is AccountInformationDetail =>
  typeof detail === 'object' && detail !== null && (detail as AuthorizationDetail).type === ACCOUNT_INFORMATION;

/** A request's authorization_details parameter as a list, or undefined when it is absent or not a JSON array. */
export function parsedAuthorizationDetails(raw: unknown): unknown[] | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const details: unknown = JSON.parse(raw);
    return Array.isArray(details) ? details : undefined;
  } catch {
    return undefined;
  }
}

export function accountInformationOf(details: readonly unknown[] | undefined): AccountInformationDetail | undefined {
  return details?.find(isAccountInformation);
}

/** What a request asks about accounts: the actions its scopes stand for and its authorization_details ask for. */
export function requestedAccountAccess(scope: string, details: readonly unknown[] | undefined): { actions: AccountAction[]; locations: string[] } {
  const actions = new Set<AccountAction>();
  const locations = new Set<string>();
  for (const name of scope.split(' ')) if (SCOPE_ACTIONS[name]) actions.add(SCOPE_ACTIONS[name]);
  for (const detail of details ?? []) {
    if (!isAccountInformation(detail)) continue;
    for (const action of detail.actions) actions.add(action);
    for (const location of detail.locations ?? []) locations.add(location);
  }
  return { actions: ACCOUNT_ACTIONS.filter((a) => actions.has(a)), locations: [...locations] };
}

/** The detail a grant keeps: what was allowed, on which accounts. */
export function grantedDetail(actions: readonly AccountAction[], locations: readonly string[], accounts: readonly string[]): AccountInformationDetail {
  return { type: ACCOUNT_INFORMATION, actions: [...actions], ...(locations.length ? { locations: [...locations] } : {}), accounts: [...accounts] };
}
