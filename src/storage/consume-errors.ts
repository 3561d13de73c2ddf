import { errors } from 'oidc-provider';

/** What a client sees when it presents a record that was consumed already (or just now by a racer). */
export function alreadyConsumed(model: string): Error {
  switch (model) {
    case 'PushedAuthorizationRequest':
      return new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
    case 'AuthorizationCode':
      return new errors.InvalidGrant('authorization code already consumed');
    case 'RefreshToken':
      return new errors.InvalidGrant('refresh token already used');
    default:
      return new errors.InvalidGrant(`${model} already consumed`);
  }
}
