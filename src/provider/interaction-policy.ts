import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * oidc-provider's login and consent prompts, with one addition: every authorization request
 * authenticates afresh (SPEC §4). The login prompt is satisfied only by a login finished in this
 * very interaction, never by an existing session, so there is no silent single sign-on and
 * `prompt=none` answers `login_required`.
 */
export function createInteractionPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check(
      'fresh_authentication',
      'End-User authentication is required for every authorization request',
      'login_required',
      (ctx: KoaContextWithOIDC) => ctx.oidc.result?.login === undefined,
    ),
    0,
  );
  return policy;
}
