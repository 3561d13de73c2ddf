import Koa, { type Context, type Middleware, type Next } from 'koa';
import mount from 'koa-mount';

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

/** What a provider endpoint answers, with its Allow header and 405 description built once. */
interface Endpoint {
  readonly methods: readonly string[];
  readonly allow: string;
  readonly use: string;
}

const endpoint = (methods: readonly string[]): Endpoint => ({
  methods,
  allow: methods.join(', '),
  use: methods.filter((m) => m !== 'HEAD').join(' or '),
});

/** POST on the authorization and end-session endpoints is served by formPostAsGet. */
const EXACT_ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map([
  ['/.well-known/openid-configuration', endpoint(GET)],
  ['/.well-known/oauth-authorization-server', endpoint(GET)],
  [PROVIDER_PATHS.authorization, endpoint([...GET, 'POST'])],
  [PROVIDER_PATHS.pushedAuthorizationRequest, endpoint(['POST'])],
  [PROVIDER_PATHS.token, endpoint(['POST'])],
  [PROVIDER_PATHS.userinfo, endpoint([...GET, 'POST'])],
  [PROVIDER_PATHS.jwks, endpoint(GET)],
  [PROVIDER_PATHS.introspection, endpoint(['POST'])],
  [PROVIDER_PATHS.revocation, endpoint(['POST'])],
  [PROVIDER_PATHS.endSession, endpoint([...GET, 'POST'])],
  [`${PROVIDER_PATHS.endSession}/confirm`, endpoint(['POST'])],
  [`${PROVIDER_PATHS.endSession}/success`, endpoint(GET)],
]);
/** the authorization endpoint's resume step, /auth/:uid */
const RESUME = /^\/auth\/[^/]+$/;
const RESUME_ENDPOINT = endpoint(GET);

/** A path as oidc-provider's router compares it: case-insensitive, one trailing slash ignored. */
export function routePath(path: string): string {
  const folded = path.toLowerCase();
  return folded.length > 1 && folded.endsWith('/') ? folded.slice(0, -1) : folded;
}

function providerEndpoint(path: string): Endpoint | undefined {
  const route = routePath(path);
  return EXACT_ENDPOINTS.get(route) ?? (RESUME.test(route) ? RESUME_ENDPOINT : undefined);
}

/** The methods a provider endpoint answers, or undefined when the path is none of them. */
export function providerMethods(path: string): readonly string[] | undefined {
  return providerEndpoint(path)?.methods;
}

/**
 * Runs `middleware` (in order) only for requests outside oidc-provider's endpoints: none of our
 * own routes answers there, so provider requests skip matching them.
 */
export function outsideProviderEndpoints<StateT, ContextT>(middleware: readonly Middleware<StateT, ContextT>[]): Middleware<StateT, ContextT> {
  // a Koa app only to compose the chain (mount at / is its composed middleware), never listened on
  const own = new Koa<StateT, ContextT>();
  for (const each of middleware) own.use(each);
  const chain = mount(own);
  return (ctx, next) => (providerEndpoint(ctx.path) ? next() : chain(ctx, next));
}

/** Runs `middleware` only for requests to `paths` (as oidc-provider routes them); the rest go straight on. */
export function onlyAt<StateT, ContextT>(paths: readonly string[], middleware: Middleware<StateT, ContextT>): Middleware<StateT, ContextT> {
  const served = new Set(paths.map(routePath));
  return (ctx, next) => (served.has(routePath(ctx.path)) ? middleware(ctx, next) : next());
}

/**
 * Around oidc-provider: a request it leaves unanswered at one of its endpoints used a method the
 * endpoint does not answer (RFC 9110 §15.5.6: 405 with Allow). OPTIONS that is not a CORS
 * preflight (which oidc-provider answers) gets 204 with Allow. A method the endpoint answers goes
 * straight on.
 */
export function providerMethodNotAllowed(): Middleware {
  return (ctx, next) => {
    const served = providerEndpoint(ctx.path);
    if (!served || served.methods.includes(ctx.method)) return next();
    if (ctx.method === 'OPTIONS' && !ctx.get('Access-Control-Request-Method')) {
      ctx.set('Allow', served.allow);
      ctx.status = 204;
      return Promise.resolve();
    }
    return refuseUnansweredMethod(ctx, next, served);
  };
}

async function refuseUnansweredMethod(ctx: Context, next: Next, served: Endpoint): Promise<void> {
  await next();
  if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null)) return;
  ctx.set('Allow', served.allow);
  ctx.status = 405;
  ctx.body = { error: 'invalid_request', error_description: `${ctx.method} is not allowed here; use ${served.use}` };
}
