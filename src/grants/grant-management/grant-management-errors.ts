import { errors } from 'oidc-provider';

/** Grant Management for OAuth 2.0 §5: the grant_id is unknown, or not this client's and customer's. */
export class InvalidGrantId extends errors.OIDCProviderError {
  constructor(description = 'the grant_id is not known for this client and customer') {
    super(400, 'invalid_grant_id');
    Object.assign(this, { error_description: description });
  }
}
