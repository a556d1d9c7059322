import { encodeFrame, type RawFrame } from './rawWebSocket';

/** What a hostile peer writes after the handshake, and what a robust server does with it. */
export interface SocketFuzzCase {
  name: string;
  bytes: Buffer;
  /**
   * 'answer': an error result on an open socket; 'close': the server closes with one of the codes;
   * 'close' without codes: a partial frame, which the server may also simply wait on until the peer hangs up
   */
  expect: { kind: 'answer' } | { kind: 'close'; codes?: number[] };
}

/** Deterministic PRNG (mulberry32): the same 1,000+ cases on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const text = (s: string, extra: Partial<RawFrame> = {}): Buffer => encodeFrame({ opcode: 1, payload: Buffer.from(s, 'utf8'), ...extra });

/** Valid frames whose JSON content is wrong: each must get an error answer, the socket staying open. */
const badMessages: string[] = [
  'null',
  'true',
  'false',
  '0',
  '-1e309',
  '"system/info"',
  '[]',
  '[null]',
  '{}',
  '{"id":1}',
  '{"id":1,"action":5}',
  '{"id":1,"action":""}',
  '{"id":1,"action":null}',
  '{"id":{},"action":"system/info"}',
  '{"id":[1],"action":"system/info"}',
  '{"id":1,"action":"__proto__"}',
  '{"id":1,"action":"constructor"}',
  '{"id":1,"action":"toString"}',
  '{"id":1,"action":"hasOwnProperty"}',
  '{"id":1,"action":"no/such"}',
  '{"id":1,"action":"system/info","payload":{"x":1}}',
  '{"id":1,"action":"system/info","payload":"x"}',
  '{"id":1,"action":"catalog/getImage","payload":{"imageId":-1}}',
  '{"id":1,"action":"catalog/listImages","payload":{"datasetId":"../../etc/passwd"}}',
  '{"id":1,"action":"import/detect","payload":{"path":7}}',
  '{"id":1,"action":"import/detect","payload":{"path":"relative/path"}}',
  '{"id":1,"action":"runs/get","payload":{"runId":"../../../"}}',
  '{"__proto__":{"polluted":1},"id":1,"action":"system/info","payload":{"__proto__":{"x":1}}}',
  '{"id":1e400,"action":"system/info"}',
  '{',
  '}',
  '{"id":1,"action":"system/info"',
  '\u0000',
  '\ufeff{}',
  '',
  ' ',
  'undefined',
  'NaN',
  "{'id':1}",
  '{"id":1,"action":"system/info"}garbage',
  `[${'['.repeat(5000)}${']'.repeat(5000)}]`,
  `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`,
  `{"id":1,"action":"${'a'.repeat(100_000)}"}`,
  `{"id":"${'i'.repeat(1000)}","action":"system/info"}`,
];

/** Frames that break the protocol: each must close that socket (never the server). */
function protocolBreakers(): SocketFuzzCase[] {
  const out: SocketFuzzCase[] = [];
  for (const opcode of [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]) {
    out.push({ name: `opcode ${opcode}`, bytes: encodeFrame({ opcode, payload: Buffer.from('x') }), expect: { kind: 'close', codes: [1002] } });
  }
  out.push({ name: 'unmasked text frame', bytes: text('{"id":1,"action":"system/info"}', { masked: false }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'unmasked null', bytes: text('null', { masked: false }), expect: { kind: 'close', codes: [1002] } });
  for (const rsv of [1, 2, 4, 7]) out.push({ name: `rsv ${rsv}`, bytes: text('{}', { rsv }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'continuation without start', bytes: encodeFrame({ opcode: 0, payload: Buffer.from('x') }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'text inside a fragmented text', bytes: Buffer.concat([text('{"a', { fin: false }), text('1}')]), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'ping over 125 bytes', bytes: encodeFrame({ opcode: 9, payload: Buffer.alloc(200) }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'fragmented ping', bytes: encodeFrame({ opcode: 9, payload: Buffer.from('x'), fin: false }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'invalid UTF-8', bytes: encodeFrame({ opcode: 1, payload: Buffer.from([0xff, 0xfe, 0xfd]) }), expect: { kind: 'close', codes: [1007] } });
  out.push({ name: 'overlong UTF-8 null', bytes: encodeFrame({ opcode: 1, payload: Buffer.from([0x7b, 0xc0, 0x80, 0x7d]) }), expect: { kind: 'close', codes: [1007] } });
  out.push({ name: 'UTF-16 surrogate in UTF-8', bytes: encodeFrame({ opcode: 1, payload: Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]) }), expect: { kind: 'close', codes: [1007] } });
  out.push({ name: 'declares 17 MiB', bytes: encodeFrame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: 17 * 1024 * 1024 }), expect: { kind: 'close', codes: [1009] } });
  out.push({ name: 'declares 2^63-1 bytes', bytes: Buffer.concat([Buffer.from([0x81, 0xff]), Buffer.from('7fffffffffffffff', 'hex'), Buffer.alloc(4)]), expect: { kind: 'close', codes: [1009, 1002] } });
  out.push({ name: 'declares 2^64-1 bytes', bytes: Buffer.concat([Buffer.from([0x81, 0xff]), Buffer.from('ffffffffffffffff', 'hex'), Buffer.alloc(4)]), expect: { kind: 'close', codes: [1009, 1002] } });
  out.push({
    name: '17 MiB in 17 fragments',
    bytes: Buffer.concat(Array.from({ length: 17 }, (_, i) => encodeFrame({ opcode: i === 0 ? 1 : 0, fin: i === 16, payload: Buffer.alloc(1024 * 1024, 0x20) }))),
    expect: { kind: 'close', codes: [1009] },
  });
  out.push({ name: 'close code 999', bytes: encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'close with 1-byte payload', bytes: encodeFrame({ opcode: 8, payload: Buffer.from([0x03]) }), expect: { kind: 'close', codes: [1002] } });
  out.push({ name: 'close with invalid UTF-8 reason', bytes: encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8, 0xff]) }), expect: { kind: 'close', codes: [1007] } });
  out.push({ name: 'binary null', bytes: encodeFrame({ opcode: 2, payload: Buffer.from('null') }), expect: { kind: 'answer' } });
  out.push({ name: 'truncated header then hang up', bytes: Buffer.from([0x81]), expect: { kind: 'close' } });
  out.push({ name: 'truncated payload then hang up', bytes: encodeFrame({ opcode: 1, payload: Buffer.from('{"id":1}') }).subarray(0, 8), expect: { kind: 'close' } });
  return out;
}

/** Random cases: garbage frames, invalid UTF-8, random JSON-ish text, random opcodes and flags. */
function randomCase(random: () => number, index: number): SocketFuzzCase {
  const pick = Math.floor(random() * 6);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  switch (pick) {
    case 0: {
      // random bytes as a text message: a clear answer (valid UTF-8, not JSON) or a 1007 close
      return { name: `random text bytes #${index}`, bytes: encodeFrame({ opcode: 1, payload: bytes(1 + Math.floor(random() * 64)) }), expect: { kind: 'close', codes: [1007] } };
    }
    case 1: {
      // raw garbage instead of a frame: the server closes (or answers, if it happens to form a frame)
      return { name: `garbage #${index}`, bytes: bytes(2 + Math.floor(random() * 64)), expect: { kind: 'close' } };
    }
    case 2: {
      const json = JSON.stringify({ id: index, action: ['system/info', 'catalog/listDatasets', 'x', ''][Math.floor(random() * 4)], payload: { n: random(), s: bytes(8).toString('hex') } });
      const cut = json.slice(0, Math.floor(random() * json.length));
      return { name: `cut JSON #${index}`, bytes: text(cut), expect: { kind: 'answer' } };
    }
    case 3: {
      const opcode = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15][Math.floor(random() * 10)]!;
      return { name: `reserved opcode ${opcode} #${index}`, bytes: encodeFrame({ opcode, payload: bytes(Math.floor(random() * 32)), masked: random() < 0.5 }), expect: { kind: 'close', codes: [1002] } };
    }
    case 4: {
      const depth = 65 + Math.floor(random() * 5000);
      return { name: `nested ${depth} #${index}`, bytes: text(`${'['.repeat(depth)}${']'.repeat(depth)}`), expect: { kind: 'answer' } };
    }
    default: {
      const message = badMessages[Math.floor(random() * badMessages.length)]!;
      return { name: `bad message #${index}`, bytes: text(message), expect: { kind: 'answer' } };
    }
  }
}

/** At least `count` cases: every fixed one first, then seeded random ones. */
export function socketFuzzCases(count: number, seed = 15): SocketFuzzCase[] {
  const cases: SocketFuzzCase[] = [
    ...badMessages.map((m, i) => ({ name: `message ${i}: ${m.slice(0, 40)}`, bytes: text(m), expect: { kind: 'answer' } as const })),
    ...protocolBreakers(),
  ];
  const random = seededRandom(seed);
  for (let i = cases.length; i < count; i++) cases.push(randomCase(random, i));
  return cases;
}
