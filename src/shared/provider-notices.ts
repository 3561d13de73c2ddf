import type { Logger } from './logger.js';

/** oidc-provider's lib/helpers/attention.js: a prefix, the text, and colour codes on a terminal. */
const PROVIDER_NOTICE = /^(?:\x1b\[[\d;]*m)?oidc-provider (NOTICE|WARNING): ([\s\S]*?)(?:\x1b\[0m)?$/;

/**
 * renkei reads the token endpoint's body before oidc-provider does (the per-client limit,
 * token-rate-limit.ts) and hands it the same bytes, which oidc-provider notes once a process.
 */
const EXPECTED = ['already parsed request body detected'];

/**
 * oidc-provider writes its notices with `console.info` and `console.warn`, as plain text between
 * the server's JSON log lines. Here they become log lines (`provider.notice`) like every other:
 * a warning at `warn`, a notice at `info`, what renkei causes on purpose at `debug`. Anything
 * else written to the console goes where it went.
 */
export function logProviderNotices(logger: Logger): void {
  for (const method of ['info', 'warn'] as const) {
    const write = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const match = args.length === 1 && typeof args[0] === 'string' ? PROVIDER_NOTICE.exec(args[0]) : null;
      if (!match) return write(...args);
      const [, kind, text = ''] = match;
      const level = EXPECTED.some((start) => text.startsWith(start)) ? 'debug' : kind === 'WARNING' ? 'warn' : 'info';
      logger[level]({ event: 'provider.notice' }, text);
    };
  }
}
