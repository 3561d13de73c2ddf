import type { Logger } from 'pino';
import type { Settings } from '../settings/types.js';

const EXAMPLE_BANK_JA = 'れんけい信用組合';
const EXAMPLE_PHONE = '0120-000-000';

/**
 * Production still showing config/default.json's example bank (name, contact number, terms
 * link): customers would read a made-up credit union and call a made-up number. Said once at start.
 */
export function noticeExampleBank(settings: Settings, logger: Logger): void {
  const { bank, links } = settings.config;
  if (settings.mode !== 'production') return;
  const example = [
    bank.nameJa === EXAMPLE_BANK_JA ? `bank.nameJa "${bank.nameJa}"` : undefined,
    bank.contact.phone === EXAMPLE_PHONE ? `bank.contact.phone ${bank.contact.phone}` : undefined,
    new URL(links.apiTermsUrl).hostname.endsWith('example-shinkumi.jp') ? `links.apiTermsUrl ${links.apiTermsUrl}` : undefined,
  ].filter((item): item is string => item !== undefined);
  if (example.length === 0) return;
  logger.warn({ event: 'server.example_config' }, `the customer's screens show the built-in example's ${example.join(', ')}: give the credit union's own in RENKEI_CONFIG`);
}
