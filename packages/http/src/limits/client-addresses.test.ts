import { describe, expect, it } from 'vitest';
import { clientAddressOf, forwardedClientAddress, rememberClientAddress } from './client-addresses';

describe('forwardedClientAddress', () => {
  it('ignores the header when no proxy is trusted', () => {
    expect(forwardedClientAddress('203.0.113.1', 0)).toBeUndefined();
  });

  it('takes the entry as many hops from the right as there are trusted proxies', () => {
    expect(forwardedClientAddress('203.0.113.1', 1)).toBe('203.0.113.1');
    expect(forwardedClientAddress('192.0.2.66, 203.0.113.1', 1)).toBe('203.0.113.1');
    expect(forwardedClientAddress('192.0.2.66, 203.0.113.1, 10.0.0.2', 2)).toBe('203.0.113.1');
    expect(forwardedClientAddress(' 2001:db8::1 ,10.0.0.2', 2)).toBe('2001:db8::1');
  });

  it('takes the leftmost entry when there are fewer entries than proxies', () => {
    expect(forwardedClientAddress('203.0.113.1', 3)).toBe('203.0.113.1');
  });

  it('finds nothing in a missing or empty header', () => {
    expect(forwardedClientAddress(null, 1)).toBeUndefined();
    expect(forwardedClientAddress(' , ', 1)).toBeUndefined();
  });
});

describe('clientAddressOf', () => {
  const request = (headers: Record<string, string> = {}) =>
    new Request('http://localhost/', { headers });
  const fromHost = () => '198.51.100.7';

  it('prefers the forwarded address behind trusted proxies, then the socket, then the hook', () => {
    const behindProxy = request({ 'x-forwarded-for': '203.0.113.1' });
    rememberClientAddress(behindProxy, '10.0.0.1');
    expect(clientAddressOf(behindProxy, 1, fromHost)).toBe('203.0.113.1');
    expect(clientAddressOf(behindProxy, 0, fromHost)).toBe('10.0.0.1');
    expect(clientAddressOf(request({ 'x-forwarded-for': '203.0.113.1' }), 0, fromHost)).toBe(
      '198.51.100.7',
    );
    expect(clientAddressOf(request(), 1, undefined)).toBe('unknown');
  });
});
