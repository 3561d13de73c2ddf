import { createLogger } from './shared/logger.js';
import { logProviderNotices } from './shared/provider-notices.js';
import { loadSettings, SettingsError } from './settings/load-settings.js';
import type { Settings } from './settings/types.js';
import { startRenkei, type RunningRenkei } from './start.js';

function printDevelopmentBanner(settings: Settings, running: RunningRenkei): void {
  const lines = [
    '',
    'renkei (development mode)',
    `  issuer:        ${settings.issuer}`,
    `  discovery:     ${settings.issuer}/.well-known/openid-configuration`,
    `  admin API:     ${running.adminUrl}/admin/v1/`,
    `  admin token:   ${running.adminToken.source === 'env' ? '(from RENKEI_ADMIN_TOKEN)' : `${running.adminToken.token}  (saved in ${settings.adminTokenFile})`}`,
    `  store:         ${running.store.kind === 'memory' ? 'in-memory (lost at restart)' : 'Redis'}`,
    '',
  ];
  const { demo } = running.app;
  if (demo) {
    lines.push(
      'demo (RENKEI_DEMO=1)',
      `  partner page:  ${settings.issuer}/demo`,
      `  customer:      login ID ${demo.customer.loginId} / password ${demo.customer.password}`,
      `  利用者番号:    ${demo.customer.userNumber}`,
      `  secret Q / A:  ${demo.customer.question} / ${demo.customer.answer}`,
      `  connections:   ${settings.issuer}/account/connections`,
      '',
    );
  }
  process.stderr.write(lines.join('\n') + '\n');
}

/** Why a listener could not open (its port taken, its host unknown or not this machine's), in one line naming the variable that sets it. */
function listenProblem(error: unknown, settings: Settings): string | undefined {
  const { code, port, hostname, address } = error as { code?: string; port?: number; hostname?: string; address?: string };
  const { server, admin } = settings.config;
  if (code === 'EADDRINUSE') {
    const variable = server.port === admin.port ? 'RENKEI_PORT and RENKEI_ADMIN_PORT (they must differ)' : port === admin.port ? 'RENKEI_ADMIN_PORT' : 'RENKEI_PORT';
    return `renkei cannot start: port ${port ?? server.port} is already in use; stop what holds it or choose another port with ${variable}`;
  }
  const host = hostname ?? address ?? '';
  const variable = host === server.host && host !== admin.host ? 'RENKEI_HOST' : host === admin.host && host !== server.host ? 'RENKEI_ADMIN_HOST' : 'RENKEI_HOST or RENKEI_ADMIN_HOST';
  const fix = `set ${variable} to an address of this machine (0.0.0.0 for all of them)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `renkei cannot start: the host ${host} cannot be resolved; ${fix}`;
  if (code === 'EADDRNOTAVAIL') return `renkei cannot start: ${host} is not an address of this machine; ${fix}`;
  return undefined;
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings({ startingServer: true });
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: settings.config.logLevel });
  logProviderNotices(logger);
  let running: RunningRenkei;
  try {
    running = await startRenkei(settings, logger);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    const listenFailure = listenProblem(error, settings);
    if (listenFailure) {
      process.stderr.write(listenFailure + '\n');
      process.exit(1);
    }
    logger.fatal({ event: 'server.start_failed', err: error }, 'renkei could not start');
    process.exit(1);
  }
  if (settings.mode === 'development') printDevelopmentBanner(settings, running);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server.stopping', signal }, 'draining connections');
    running.close().then(
      () => {
        logger.info({ event: 'server.stopped', signal }, 'drained; exiting');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ event: 'server.stop_failed', err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
