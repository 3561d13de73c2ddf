import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../../src/settings/project-root.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const RULES_DIR = join(projectRoot(), 'deploy/prometheus');
const RULES = join(RULES_DIR, 'renkei-rules.yml');

/** promtool from Debian's `prometheus` package (.ci/run installs it); never skipped. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: RULES_DIR, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: these tests check deploy/prometheus/renkei-rules.yml with it (apt-get install prometheus, as .ci/run does)');
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The metric families a rule expression names (histogram series by their family). */
function metricNamesIn(rules: string): string[] {
  const names = [...rules.matchAll(/\b(renkei_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));
  return [...new Set(names)].sort();
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('deploy/prometheus/renkei-rules.yml', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', RULES);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fires as its promtool unit tests expect (lockout wave, token replay, old signing key)', () => {
    const { status, output } = promtool('test', 'rules', 'renkei-rules.test.yml');
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('names only metrics that renkei exports', async () => {
    const response = await fetch(`${server.adminUrl}/metrics`, { headers: { authorization: `Bearer ${server.adminToken.token}` } });
    const exported = new Set([...(await response.text()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const named = metricNamesIn(readFileSync(RULES, 'utf8'));
    expect(named.length).toBeGreaterThanOrEqual(10);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });
});
