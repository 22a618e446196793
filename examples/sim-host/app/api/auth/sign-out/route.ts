import { NextResponse } from 'next/server';
import {
  deleteSession,
  isSameOrigin,
  readSessionToken,
  sessionCookieName,
} from '../../../../lib/auth';

/** The sign-out button's target: ends the session and clears its cookie. */
export async function POST(request: Request) {
  if (!isSameOrigin(request)) return new NextResponse('Forbidden', { status: 403 });
  const token = readSessionToken(request.headers);
  if (token !== null) await deleteSession(token);
  const response = new NextResponse(null, { status: 303, headers: { location: '/sign-in' } });
  response.cookies.delete(sessionCookieName);
  return response;
}
