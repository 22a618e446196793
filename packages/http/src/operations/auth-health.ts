import type { JwtVerifier, JwtVerifierDescription } from '@parley/core/auth';
import type { CustomerTokens } from '../principals/customer-tokens';
import { countStatuses, type HealthStatus } from './health-status';

/** How operators and customers are authenticated, as the auth health shows it. */
export interface AuthHealth {
  status: HealthStatus;
  components: {
    authSystem: {
      status: HealthStatus;
      details: {
        /** The widget's customer tokens, signed by this handler. */
        customerTokens: { algorithm: 'HS256'; configured: true };
        /** The operator token verifier's checks; `null` without one. */
        operatorTokens: JwtVerifierDescription | null;
      };
    };
    hostIntegration: {
      status: HealthStatus;
      details: { signIn: boolean; authorize: boolean };
    };
  };
  summary: { total: number; healthy: number; degraded: number; unhealthy: number };
}

/** What the handler knows of its authentication, with nothing probed. */
export interface AuthConfiguration {
  verifier?: JwtVerifier;
  /** The host's `authenticate` is set: its signed-in users are operators. */
  hostSignIn: boolean;
  /** The host's `authorize` is set: it decides what they may do. */
  hostAuthorize: boolean;
}

/**
 * The configuration of operator and customer authentication, checked when the handler was
 * made (a verifier refuses weak secrets and mixed algorithms then): healthy as configured.
 * Neither a verifier nor the host's sign-in is a choice too (a widget-only deployment whose
 * agents are synced from code): no operator gets in, and `details` say so. The self-test
 * (`/v1/health/auth/validate`) is what exercises the keys.
 */
export function checkAuth(configuration: AuthConfiguration): AuthHealth {
  const operatorTokens = configuration.verifier?.describe() ?? null;
  const authSystem: HealthStatus = 'healthy';
  const hostIntegration: HealthStatus = 'healthy';
  const statuses: HealthStatus[] = [authSystem, hostIntegration];
  return {
    status: authSystem,
    components: {
      authSystem: {
        status: authSystem,
        details: { customerTokens: { algorithm: 'HS256', configured: true }, operatorTokens },
      },
      hostIntegration: {
        status: hostIntegration,
        details: { signIn: configuration.hostSignIn, authorize: configuration.hostAuthorize },
      },
    },
    summary: countStatuses(statuses),
  };
}

/** One check of the self-test. */
export interface AuthSelfTestCheck {
  name: 'customer_token_round_trip' | 'tampered_token_refused';
  passed: boolean;
}

/**
 * Signs a customer token with the handler's secret and verifies it, then checks that the same
 * token with one signature character changed is refused. The token is made for no session
 * that exists and is never shown.
 */
export async function selfTestAuth(
  customerTokens: CustomerTokens,
  workspaceId: string,
): Promise<{ status: HealthStatus; checks: AuthSelfTestCheck[] }> {
  const claims = {
    workspaceId,
    agentId: 'health-self-test',
    sessionId: 'health-self-test',
    customerId: 'health-self-test',
    agentKeyId: 'health-self-test',
  };
  const { token } = await customerTokens.issue(claims);
  const roundTrip = await customerTokens.verify(token).then(
    (principal) => principal.sessionId === claims.sessionId,
    () => false,
  );
  const signatureStart = token.lastIndexOf('.') + 1;
  const changed = token[signatureStart] === 'A' ? 'B' : 'A';
  const tampered = `${token.slice(0, signatureStart)}${changed}${token.slice(signatureStart + 1)}`;
  const refused = await customerTokens.verify(tampered).then(
    () => false,
    () => true,
  );
  const checks: AuthSelfTestCheck[] = [
    { name: 'customer_token_round_trip', passed: roundTrip },
    { name: 'tampered_token_refused', passed: refused },
  ];
  return { status: checks.every((check) => check.passed) ? 'healthy' : 'unhealthy', checks };
}
