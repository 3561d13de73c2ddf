import type { Middleware } from 'koa';

/** oidc-provider's routes as we configure them (its default paths), with the methods each answers. */
export const PROVIDER_PATHS = {
  authorization: '/auth',
  pushedAuthorizationRequest: '/request',
  token: '/token',
  userinfo: '/me',
  jwks: '/jwks',
  introspection: '/token/introspection',
  revocation: '/token/revocation',
  endSession: '/session/end',
} as const;

const GET = ['GET', 'HEAD'];

interface Endpoint {
  readonly matches: (path: string) => boolean;
  readonly methods: readonly string[];
}

const exactly = (route: string) => (path: string) => path === route;

/** POST on the authorization and end-session endpoints is served by formPostAsGet. */
const ENDPOINTS: readonly Endpoint[] = [
  { matches: exactly('/.well-known/openid-configuration'), methods: GET },
  { matches: exactly('/.well-known/oauth-authorization-server'), methods: GET },
  { matches: exactly(PROVIDER_PATHS.authorization), methods: [...GET, 'POST'] },
  { matches: (path) => /^\/auth\/[^/]+$/.test(path), methods: GET },
  { matches: exactly(PROVIDER_PATHS.pushedAuthorizationRequest), methods: ['POST'] },
  { matches: exactly(PROVIDER_PATHS.token), methods: ['POST'] },
  { matches: exactly(PROVIDER_PATHS.userinfo), methods: [...GET, 'POST'] },
  { matches: exactly(PROVIDER_PATHS.jwks), methods: GET },
  { matches: exactly(PROVIDER_PATHS.introspection), methods: ['POST'] },
  { matches: exactly(PROVIDER_PATHS.revocation), methods: ['POST'] },
  { matches: exactly(PROVIDER_PATHS.endSession), methods: [...GET, 'POST'] },
  { matches: exactly(`${PROVIDER_PATHS.endSession}/confirm`), methods: ['POST'] },
  { matches: exactly(`${PROVIDER_PATHS.endSession}/success`), methods: GET },
];

/** A path as oidc-provider's router compares it: case-insensitive, one trailing slash ignored. */
export function routePath(path: string): string {
  const folded = path.toLowerCase();
  return folded.length > 1 && folded.endsWith('/') ? folded.slice(0, -1) : folded;
}

/** The methods a provider endpoint answers, or undefined when the path is none of them. */
export function providerMethods(path: string): readonly string[] | undefined {
  const route = routePath(path);
  return ENDPOINTS.find((endpoint) => endpoint.matches(route))?.methods;
}

/**
 * Around oidc-provider: a request it leaves unanswered at one of its endpoints used a method the
 * endpoint does not answer (RFC 9110 §15.5.6: 405 with Allow). OPTIONS that is not a CORS
 * preflight (which oidc-provider answers) gets 204 with Allow.
 */
export function providerMethodNotAllowed(): Middleware {
  return async (ctx, next) => {
    const methods = providerMethods(ctx.path);
    if (!methods) return next();
    if (ctx.method === 'OPTIONS' && !ctx.get('Access-Control-Request-Method')) {
      ctx.set('Allow', methods.join(', '));
      ctx.status = 204;
      return;
    }
    await next();
    if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null) || methods.includes(ctx.method)) return;
    ctx.set('Allow', methods.join(', '));
    ctx.status = 405;
    ctx.body = { error: 'invalid_request', error_description: `${ctx.method} is not allowed here; use ${methods.filter((m) => m !== 'HEAD').join(' or ')}` };
  };
}
