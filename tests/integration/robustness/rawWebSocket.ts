import net from 'node:net';
import { randomBytes } from 'node:crypto';

/** A WebSocket frame as a hostile peer may write it: any opcode, masked or not, any declared length. */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
  fin?: boolean;
  /** clients must mask; false writes an unmasked (illegal) client frame */
  masked?: boolean;
  /** RSV1-3 bits (no extension is negotiated, so any set bit is a protocol error) */
  rsv?: number;
  /** a length to declare instead of the payload's (oversize claims, truncation) */
  declaredLength?: number;
}

export function encodeFrame(frame: RawFrame): Buffer {
  const { opcode, payload, fin = true, masked = true, rsv = 0 } = frame;
  const length = frame.declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ext, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, mask, body]);
}

/** A TCP socket that completed the WebSocket handshake with the token; what it receives is collected. */
export interface RawSocket {
  socket: net.Socket;
  received: () => Buffer;
  closed: Promise<void>;
}

export function openRawSocket(port: number, token: string, timeoutMs = 5000): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('handshake timed out'));
    }, timeoutMs);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 4);
      clearTimeout(timer);
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      resolve({ socket, received: () => buffer, closed });
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (!upgraded) reject(new Error('closed during handshake'));
    });
    socket.write(
      [
        `GET /ws?token=${encodeURIComponent(token)} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/** Close code of the first close frame the server sent (unmasked server frames), or null. */
export function closeCodeIn(bytes: Buffer): number | null {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > bytes.length) return null;
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > bytes.length) return null;
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 8) return length >= 2 && offset + 2 <= bytes.length ? bytes.readUInt16BE(offset) : 1005;
    at = offset + length;
  }
  return null;
}

/** Text payloads of the server's data frames (results and events), parsed where they are JSON. */
export function textMessagesIn(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > bytes.length) break;
    if (opcode === 1) {
      const text = bytes.subarray(offset, offset + length).toString('utf8');
      try {
        out.push(JSON.parse(text));
      } catch {
        out.push(text);
      }
    }
    at = offset + length;
  }
  return out;
}
