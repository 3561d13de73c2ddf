import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import { AUTOSUBMIT_SCRIPT_PATH, STYLESHEET_PATH } from './html.js';
import { cachePublicly } from './security-headers.js';

/** Serves the stylesheet every page shares and the auto-submit script (read once at start from `dir`). */
export function staticAssets(dir: string): Router {
  const assets = [
    { path: STYLESHEET_PATH, type: 'text/css; charset=utf-8', content: readFileSync(join(dir, 'renkei.css')) },
    { path: AUTOSUBMIT_SCRIPT_PATH, type: 'text/javascript; charset=utf-8', content: readFileSync(join(dir, 'autosubmit.js')) },
  ];
  const router = new Router();
  for (const { path, type, content } of assets) {
    router.get(path, (ctx) => {
      ctx.type = type;
      cachePublicly(ctx, 3600);
      ctx.body = content;
    });
  }
  return router;
}
