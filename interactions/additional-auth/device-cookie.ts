import type { Context } from 'koa';

export const DEVICE_COOKIE = 'renkei_device';

/** Remembers this browser: a random id in a signed, HTTP-only cookie (the server keeps its digest). */
export function setDeviceCookie(ctx: Context, deviceId: string, ttlSeconds: number): void {
  ctx.cookies.set(DEVICE_COOKIE, deviceId, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    maxAge: ttlSeconds * 1000,
    overwrite: true,
  });
}
