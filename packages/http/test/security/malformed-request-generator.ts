/**
 * Malformed HTTP/1.x requests, generated from a seed: the same seed always gives the same
 * cases, byte for byte, so a failure found once can be replayed. Each case keeps the parts it
 * was built from (method, target, headers, body) beside the bytes sent, so the same case can
 * also be offered to `new Request(…)`, as a Next.js route handler would receive it.
 */

import { createSeededRandom, type RandomSource } from '@parley/core/testing';

/** One request as written on the wire. Strings are bytes: one character per byte (latin1). */
export interface RequestParts {
  method: string;
  target: string;
  /** `HTTP/1.1`, `HTTP/1.0`, or whatever the case puts there. */
  version: string;
  headers: Array<[name: string, value: string]>;
  body: string;
}

/** A generated case: its name (kind and number), its requests in order, the bytes sent. */
export interface MalformedRequestCase {
  name: string;
  kind: string;
  /** More than one when pipelined; the bytes may also carry garbage after them. */
  requests: RequestParts[];
  bytes: Buffer;
}

/** The biggest case: below Node's 16 KiB header limit, so every byte sent is read. */
export const maxCaseBytes = 12 * 1024;

const tokenCharacters =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const knownMethods = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'PURGE',
  'M-SEARCH',
  'QUERY',
  'LINK',
  'REPORT',
  'MKCOL',
];
const headerNames = [
  'accept',
  'accept-encoding',
  'authorization',
  'connection',
  'content-encoding',
  'content-type',
  'cookie',
  'expect',
  'last-event-id',
  'origin',
  'referer',
  'te',
  'upgrade',
  'user-agent',
  'x-forwarded-for',
  'x-request-id',
];

/** Picks helpers over one random source. */
function createPicker(random: RandomSource) {
  const integer = (minimum: number, maximum: number) =>
    minimum + Math.floor(random() * (maximum - minimum + 1));
  const chance = (probability: number) => random() < probability;
  const pick = <T>(items: readonly T[]): T => items[integer(0, items.length - 1)] as T;
  const stringOf = (length: number, alphabet: string) =>
    Array.from({ length }, () => alphabet[integer(0, alphabet.length - 1)]).join('');
  /** Bytes of a header value: visible ASCII, tabs, obs-text (0x80–0xff), rarely a control. */
  const valueBytes = (length: number) => {
    const characters = Array.from({ length }, () => {
      const roll = random();
      if (roll < 0.65) return String.fromCharCode(integer(0x20, 0x7e));
      if (roll < 0.97) return String.fromCharCode(integer(0x80, 0xff));
      return '\t';
    });
    if (length > 0 && chance(0.02)) {
      characters[integer(0, length - 1)] = String.fromCharCode(
        pick([0x00, 0x01, 0x0b, 0x1f, 0x7f]),
      );
    }
    return characters.join('');
  };
  return { integer, chance, pick, stringOf, valueBytes };
}

type Picker = ReturnType<typeof createPicker>;

function randomMethod(picker: Picker): string {
  const roll = picker.integer(0, 99);
  if (roll < 80) return picker.pick(knownMethods);
  if (roll < 88) return picker.stringOf(picker.integer(1, 12), tokenCharacters);
  if (roll < 92) return picker.pick(knownMethods).toLowerCase();
  if (roll < 97) return picker.pick(['TRACK', 'CONNECT', 'GE T', 'GET\t', '']);
  return picker.valueBytes(picker.integer(1, 6));
}

/** One path segment meant to trip decoders and normalizers. */
function randomSegment(picker: Picker): string {
  switch (picker.integer(0, 9)) {
    case 0:
      return '..';
    case 1:
      return '.';
    case 2:
      return `%${picker.stringOf(2, '0123456789abcdefABCDEF')}`;
    case 3:
      return picker.pick(['%zz', '%', '%0', '%00', '%2e%2e', '%2f', '%c0%af', '%ff%fe']);
    case 4:
      return picker.pick(['', '\\', ';', ':', '@', '!', '~', '*', '[', ']']);
    case 5:
      return picker.pick(['v1', 'v1', 'health', 'sessions', 'ready', 'metrics', 'agents']);
    default:
      return picker.stringOf(picker.integer(1, 12), 'abcdefghijklmnopqrstuvwxyz0123456789-_');
  }
}

function randomTarget(picker: Picker, basePath: string): string {
  const roll = picker.integer(0, 99);
  if (roll < 4) return '*';
  if (roll < 7) return picker.pick(['127.0.0.1:80', 'example.com:443', '[::1]:8080']);
  if (roll < 10) return picker.pick(['', 'x', '?', '#', 'http:/x', '//']);
  const segments = Array.from({ length: picker.integer(0, 6) }, () => randomSegment(picker));
  if (picker.chance(0.1)) {
    // Bytes sent raw, as a careless client would: UTF-8, or anything.
    segments.splice(
      picker.integer(0, segments.length),
      0,
      picker.chance(0.5)
        ? Buffer.from(picker.pick(['é', '営業', '🕘', 'ǅ']), 'utf8').toString('latin1')
        : picker.valueBytes(picker.integer(1, 4)),
    );
  }
  let path = `${picker.chance(0.75) ? basePath : ''}/${segments.join('/')}`;
  if (picker.chance(0.08)) path += `/${'a'.repeat(picker.integer(1000, 8000))}`;
  if (picker.chance(0.25)) {
    const pairs = Array.from({ length: picker.integer(1, 4) }, () => {
      const name = picker.pick([
        'wait',
        'after',
        'limit',
        'workspaceId',
        'q',
        randomSegment(picker),
      ]);
      return `${name}=${randomSegment(picker)}`;
    });
    path += `?${pairs.join('&')}`;
  }
  if (picker.chance(0.05)) path += `#${randomSegment(picker)}`;
  if (roll < 18)
    return `${picker.pick(['http://other.example', 'https://u:p@x', 'ftp://h', 'http://'])}${path}`;
  return path;
}

function randomHost(picker: Picker): string {
  if (picker.chance(0.6)) return '127.0.0.1';
  return picker.pick([
    'a b',
    'u:p@127.0.0.1',
    '',
    'localhost:99999',
    '[::1',
    '[::1]:3000',
    'h/p?q#f',
    'example.com:',
    'EXAMPLE.com',
    '1.2.3.999',
    '%41',
    `${'h'.repeat(300)}.example`,
    Buffer.from('münchen.de', 'utf8').toString('latin1'),
    picker.valueBytes(picker.integer(1, 20)),
  ]);
}

function randomHeaderName(picker: Picker): string {
  const roll = picker.integer(0, 99);
  if (roll < 62) return picker.pick(headerNames);
  if (roll < 98) return picker.stringOf(picker.integer(1, 20), tokenCharacters);
  return picker.pick(['bad name', 'bad:name', '', 'x\u00e9', 'x\u0000y', '(paren)', 'x@y']);
}

function randomHeaderValue(picker: Picker, name: string): string {
  if (name === 'authorization' && picker.chance(0.5)) {
    return `Bearer ${picker.stringOf(picker.integer(0, 200), `${tokenCharacters}=/`)}`;
  }
  if (name === 'content-type' && picker.chance(0.5)) {
    return picker.pick(['application/json', 'text/plain', 'application/json; charset=latin1']);
  }
  if (name === 'expect' && picker.chance(0.5)) return '100-continue';
  if (name === 'origin' && picker.chance(0.5)) {
    return picker.pick(['https://shop.example', 'null', 'http://a b', '']);
  }
  if (picker.chance(0.03)) return picker.valueBytes(picker.integer(2000, 6000));
  return picker.valueBytes(picker.integer(0, 40));
}

/** A request of random parts; what its body and framing headers do is picked last. */
function randomRequest(picker: Picker, basePath: string): { parts: RequestParts; kind: string } {
  const parts: RequestParts = {
    method: randomMethod(picker),
    target: randomTarget(picker, basePath),
    version: picker.chance(0.92)
      ? 'HTTP/1.1'
      : picker.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1x', '']),
    headers: [],
    body: '',
  };
  const hostRoll = picker.integer(0, 99);
  if (hostRoll < 80) parts.headers.push(['Host', randomHost(picker)]);
  else if (hostRoll < 90) parts.headers.push(['Host', '127.0.0.1'], ['host', randomHost(picker)]);
  for (let count = picker.integer(0, 8); count > 0; count -= 1) {
    const name = randomHeaderName(picker);
    parts.headers.push([name, randomHeaderValue(picker, name)]);
  }
  let kind = 'random';
  const bodyRoll = picker.integer(0, 99);
  const body = picker.chance(0.5)
    ? JSON.stringify({ agentKey: picker.stringOf(picker.integer(0, 30), tokenCharacters) })
    : picker.valueBytes(picker.integer(0, 200));
  if (bodyRoll < 15) {
    kind = 'content-length';
    parts.body = body;
    parts.headers.push(['Content-Length', String(body.length)]);
  } else if (bodyRoll < 25) {
    kind = 'bad content-length';
    parts.body = body;
    parts.headers.push([
      'Content-Length',
      picker.pick([
        String(body.length + picker.integer(1, 50)),
        String(Math.max(0, body.length - picker.integer(1, 10))),
        '-1',
        'abc',
        '1e3',
        ' 12',
        '99999999999999999999',
        `${body.length}, ${body.length + 1}`,
      ]),
    ]);
  } else if (bodyRoll < 35) {
    kind = 'chunked garbage';
    parts.headers.push([
      'Transfer-Encoding',
      picker.pick(['chunked', 'Chunked', 'gzip, chunked', 'chunked, identity', 'x']),
    ]);
    if (picker.chance(0.3)) parts.headers.push(['Content-Length', String(picker.integer(0, 40))]);
    parts.body = picker.pick([
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      `zz\r\n${body}\r\n0\r\n\r\n`,
      `${body.length.toString(16)};ext=${picker.valueBytes(5)}\r\n${body}\r\n0\r\n\r\n`,
      `ffffffffffffffff\r\n${body}`,
      `${body.length.toString(16)}\r\n${body}`,
      `0\r\nTrailer: ${picker.valueBytes(8)}\r\n\r\n`,
      `-1\r\n\r\n`,
    ]);
  }
  return { parts, kind };
}

/** The bytes of one request, with `lineEnding` between its lines. */
export function serializeRequest(parts: RequestParts, lineEnding = '\r\n'): Buffer {
  const requestLine = [parts.method, parts.target, parts.version].filter(Boolean).join(' ');
  const lines = [requestLine, ...parts.headers.map(([name, value]) => `${name}: ${value}`)];
  return Buffer.from(`${lines.join(lineEnding)}${lineEnding}${lineEnding}${parts.body}`, 'latin1');
}

function randomCase(picker: Picker, basePath: string, index: number): MalformedRequestCase {
  const first = randomRequest(picker, basePath);
  const requests = [first.parts];
  let kind = first.kind;
  let bytes = serializeRequest(first.parts);
  const shape = picker.integer(0, 99);
  if (shape < 12) {
    // Pipelined: more requests in the same write, the server must answer them in order.
    kind = `pipelined ${kind}`;
    for (let more = picker.integer(1, 2); more > 0; more -= 1) {
      const next = randomRequest(picker, basePath).parts;
      requests.push(next);
      bytes = Buffer.concat([bytes, serializeRequest(next)]);
    }
  } else if (shape < 17) {
    kind = `bare LF ${kind}`;
    bytes = serializeRequest(first.parts, '\n');
  } else if (shape < 20) {
    kind = `bare CR ${kind}`;
    bytes = serializeRequest(first.parts, '\r');
  } else if (shape < 25) {
    kind = `trailing garbage ${kind}`;
    bytes = Buffer.concat([bytes, Buffer.from(picker.valueBytes(picker.integer(1, 64)), 'latin1')]);
  } else if (shape < 28) {
    kind = `truncated ${kind}`;
    bytes = bytes.subarray(0, picker.integer(1, Math.max(1, bytes.length - 1)));
  }
  return {
    name: `random #${index} (${kind})`,
    kind,
    requests,
    bytes: bytes.subarray(0, maxCaseBytes),
  };
}

/** The parts of a GET of `path` with `headers` (Host first when given). */
export function getRequest(
  path: string,
  headers: Array<[string, string]>,
  method = 'GET',
): RequestParts {
  return { method, target: path, version: 'HTTP/1.1', headers, body: '' };
}

/**
 * `count` cases from `seed`: random methods (tokens, lowercase, bytes), targets (escapes, raw
 * UTF-8, `..`, very long, absolute, asterisk and authority forms), versions, Hosts (missing,
 * repeated, malformed, credentialed), headers with obs-text and control bytes, bodies with
 * right, wrong and contradictory framing, chunked garbage, pipelining, bare line endings,
 * trailing garbage and truncation. Each case stays under {@link maxCaseBytes}.
 */
export function generateMalformedRequests(options: {
  seed: number;
  count: number;
  basePath: string;
}): MalformedRequestCase[] {
  const picker = createPicker(createSeededRandom(options.seed));
  return Array.from({ length: options.count }, (_, index) =>
    randomCase(picker, options.basePath, index),
  );
}

/** A named case of one request. */
export function namedCase(name: string, parts: RequestParts): MalformedRequestCase {
  return { name, kind: 'named', requests: [parts], bytes: serializeRequest(parts) };
}
