import { SignJWT } from 'jose';

/** Who signs the quickstart's operator tokens, and for whom: the server's verifier pins both. */
export const operatorTokenIssuer = 'parley-quickstart';
export const operatorTokenAudience = 'parley';
/**
 * The oldest operator token the server accepts, from its `iat`: one hour, the script's
 * lifetime. A token signed long ago with a far expiry is refused all the same.
 */
export const operatorTokenMaxAgeSeconds = 3600;
/** The workspace the sample agent lives in. */
export const quickstartWorkspaceId = 'quickstart';

/** Options of {@link signOperatorToken}. */
export interface OperatorTokenOptions {
  /** The operator secret (HS256), as the server has it. */
  secret: string;
  subject?: string;
  role?: 'read' | 'write' | 'admin';
  /** Lifetime in seconds; default one hour. */
  ttlSeconds?: number;
  now?: Date;
}

/**
 * An operator token for the quickstart's operator routes: HS256, issuer `parley-quickstart`,
 * audience `parley`, the `quickstart` workspace, `admin` by default, valid for an hour.
 */
export async function signOperatorToken(options: OperatorTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ workspaceId: quickstartWorkspaceId, role: options.role ?? 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject ?? 'quickstart-operator')
    .setIssuer(operatorTokenIssuer)
    .setAudience(operatorTokenAudience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? operatorTokenMaxAgeSeconds))
    .sign(new TextEncoder().encode(options.secret));
}
