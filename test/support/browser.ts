import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/settings/project-root.js';

export const SCREENSHOT_DIR = join(projectRoot(), 'test-output', 'screenshots');

/**
 * A whole journey through a real browser (every screen, its checks and screenshots) takes 12–14 s
 * on an idle 2-core machine; beside the other suites on a loaded one it took over jest's 30 s.
 */
export const BROWSER_JOURNEY_TIMEOUT_MS = 90_000;

/** Debian's Chromium, headless, with the flags this machine needs (no background networking). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.RENKEI_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/**
 * `page.goto` to the test server, tried again (up to 3 times in all) when Chromium itself fails the
 * navigation (`net::ERR_…`, no response at all). Once, with four pages opening at once on a busy
 * machine, Chromium failed one with ERR_NAME_NOT_RESOLVED although the URL names 127.0.0.1. An HTTP
 * answer of any status is returned as it is.
 */
export async function gotoServer(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url);
      return;
    } catch (error) {
      if (attempt === 3 || !/net::ERR_/.test((error as Error).message)) throw error;
    }
  }
}

/** Saves a full-page screenshot under test-output/screenshots/ (look at them: customers see these). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
