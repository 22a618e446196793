/**
 * `pnpm start`: reads the configuration from the environment, starts the quickstart and stops
 * it gracefully on SIGINT or SIGTERM (a second signal stops at once).
 */
import { ConfigError, loadConfig } from './config';
import { createJsonLogger } from './json-logger';
import { startQuickstart } from './main';

const logger = createJsonLogger();

try {
  const running = await startQuickstart(loadConfig(), { log: logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.log('info', 'shutting down', { signal });
    running.close({ deadlineMs: 10_000 }).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.log('error', 'shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(
      `Parley quickstart could not start: the port is already in use; set PORT to another one (PORT=${process.env.PORT ?? 3000})\n`,
    );
  } else {
    process.stderr.write(`Parley quickstart could not start: ${String(error)}\n`);
  }
  process.exit(1);
}
