/**
 * Prints an operator token for the quickstart server (one hour, admin of the `quickstart`
 * workspace), signed with `PARLEY_OPERATOR_SECRET` or the secret the server generated in its
 * data directory:
 *
 *   curl -H "Authorization: Bearer $(pnpm -s --filter @parley/example-quickstart operator-token)" \
 *     http://127.0.0.1:3000/api/parley/v1/agents
 */
import { ConfigError, loadConfig } from './config';
import { loadLocalSecrets } from './local-secrets';
import { signOperatorToken } from './operator-token';

try {
  const secrets = await loadLocalSecrets(loadConfig());
  process.stdout.write(`${await signOperatorToken({ secret: secrets.operatorSecret })}\n`);
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? `Invalid configuration: ${error.message}` : String(error)}\n`,
  );
  process.exitCode = 1;
}
