import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import { STYLESHEET_PATH } from './html.js';

/** Serves the stylesheet shared by every page (read once at start). */
export function staticAssets(stylesheetFile: string): Router {
  const css = readFileSync(stylesheetFile);
  const router = new Router();
  router.get(STYLESHEET_PATH, (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = css;
  });
  return router;
}
