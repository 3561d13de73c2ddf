import Koa, { type Context, type Middleware, type Next } from 'koa';
import mount from 'koa-mount';
import { recallInteraction, type InteractionMemo } from '../shared/interaction-memo.js';

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

export const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'] as const;

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
  ...DISCOVERY_PATHS.map((path) => [path, endpoint(GET)] as const),
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
/** the authorization endpoint's resume step, /auth/:uid (as EndpointMiddleware.at names it) */
export const RESUME_PATH = '/auth/:uid';
const RESUME = /^\/auth\/[^/]+$/;
const RESUME_ENDPOINT = endpoint(GET);

/** The memo the browser holds for the interaction whose resume step (`/auth/<uid>`) this is, if it is one. */
export function memoAtResume(ctx: Pick<Context, 'path' | 'cookies'>): InteractionMemo | undefined {
  const uid = resumedInteraction(ctx.path);
  return uid ? recallInteraction(ctx, uid) : undefined;
}

/** The interaction uid of oidc-provider's resume endpoint (`/auth/<uid>`), if that is the path. */
export function resumedInteraction(path: string): string | undefined {
  const prefix = `${PROVIDER_PATHS.authorization}/`;
  const uid = path.startsWith(prefix) ? path.slice(prefix.length) : '';
  return /^[\w-]+$/.test(uid) ? uid : undefined;
}

const INTERACTION_LOCATION = /^(?:https?:\/\/[^/]+)?\/interaction\/([^/?#]+)$/;

/** The interaction uid a redirect sends the browser to (`/interaction/<uid>`, as interactions.url builds it), if it does. */
export function interactionAt(location: string): string | undefined {
  const uid = INTERACTION_LOCATION.exec(location)?.[1];
  return uid === undefined ? undefined : decodeURIComponent(uid);
}

/** A path as oidc-provider's router compares it: case-insensitive, one trailing slash ignored. */
export function routePath(path: string): string {
  const folded = path.toLowerCase();
  return folded.length > 1 && folded.endsWith('/') ? folded.slice(0, -1) : folded;
}

/** One middleware running `middleware` in order (a Koa app only composes them, it is never listened on). */
function composed<StateT, ContextT>(middleware: readonly Middleware<StateT, ContextT>[]): Middleware<StateT, ContextT> {
  const app = new Koa<StateT, ContextT>();
  for (const each of middleware) app.use(each);
  return mount(app);
}

/** A middleware that acts at some of oidc-provider's endpoints only (paths as PROVIDER_PATHS gives them). */
export interface EndpointMiddleware<StateT = Koa.DefaultState, ContextT = Koa.DefaultContext> {
  readonly at: readonly string[];
  readonly middleware: Middleware<StateT, ContextT>;
}

export interface EndpointDispatch<StateT, ContextT> {
  /** our own routes, for requests outside oidc-provider's endpoints (none of them answers there) */
  readonly own: readonly Middleware<StateT, ContextT>[];
  /** in order, each only at its endpoints */
  readonly around: readonly EndpointMiddleware<StateT, ContextT>[];
  readonly provider: Middleware<StateT, ContextT>;
}

/**
 * One lookup per request by the route oidc-provider would serve it at, then a chain built at start
 * for that route: the middleware that acts there, the refusal of methods it does not answer (see
 * methodNotAllowed), oidc-provider. Requests outside its endpoints get our own routes, then
 * oidc-provider (which answers 404). No request passes a middleware that has nothing to do with it.
 */
export function dispatchByEndpoint<StateT, ContextT>({ own, around, provider }: EndpointDispatch<StateT, ContextT>): Middleware<StateT, ContextT> {
  const chainAt = (route: string, served: Endpoint) =>
    composed<StateT, ContextT>([
      ...around.filter(({ at }) => at.some((path) => routePath(path) === route)).map(({ middleware }) => middleware),
      methodNotAllowed(served) as Middleware<StateT, ContextT>,
      provider,
    ]);
  const chains = new Map([...EXACT_ENDPOINTS].map(([route, served]) => [route, chainAt(route, served)]));
  const resume = chainAt(RESUME_PATH, RESUME_ENDPOINT);
  const outside = composed<StateT, ContextT>([...own, provider]);
  return (ctx, next) => {
    const route = routePath((ctx as unknown as Context).path);
    return (chains.get(route) ?? (RESUME.test(route) ? resume : outside))(ctx, next);
  };
}

/**
 * Around oidc-provider: a request it leaves unanswered at one of its endpoints used a method the
 * endpoint does not answer (RFC 9110 §15.5.6: 405 with Allow). OPTIONS that is not a CORS
 * preflight (which oidc-provider answers) gets 204 with Allow. A method the endpoint answers goes
 * straight on.
 */
function methodNotAllowed(served: Endpoint): Middleware {
  return (ctx, next) => {
    if (served.methods.includes(ctx.method)) return next();
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
