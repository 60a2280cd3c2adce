/**
 * The bytes of a lavaplayer track message, read safely: base64 in (either alphabet), Java
 * DataInput values out. Every fault is a TrackCodecError with a code; no RangeError escapes.
 */
import { Buffer } from 'node:buffer';
import { ErrorCode, TrackCodecError, describe } from '../errors.js';

export function fail(code: ErrorCode, message: string): never {
  throw new TrackCodecError(code, message);
}

/** Standard or URL-safe alphabet, padding optional: v4 servers write standard, v3 accepted both. */
export function fromBase64(encoded: unknown): Buffer {
  if (typeof encoded !== 'string') fail(ErrorCode.TrackBadBase64, `Encoded track must be a string, got ${describe(encoded)}`);
  if (encoded.length === 0) fail(ErrorCode.TrackBadBase64, 'Encoded track is an empty string');
  const body = encoded.replace(/={1,2}$/, '');
  const bad = body.search(/[^A-Za-z0-9+/_-]/);
  if (bad !== -1) fail(ErrorCode.TrackBadBase64, `Encoded track has a non-base64 character ${JSON.stringify(body[bad])} at index ${bad}`);
  // 4n+1 characters cannot be base64; if padding is present the total must be a multiple of 4.
  if (body.length % 4 === 1 || (body.length !== encoded.length && encoded.length % 4 !== 0)) {
    fail(ErrorCode.TrackBadBase64, `Encoded track has an impossible base64 length (${encoded.length} characters)`);
  }
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Sequential big-endian reader that checks bounds itself, so no RangeError ever escapes. */
export class Reader {
  constructor(
    private readonly buf: Buffer,
    public offset: number,
    private readonly end: number,
  ) {}

  private need(n: number, field: string): void {
    const left = this.end - this.offset;
    if (n > left) fail(ErrorCode.TrackTruncated, `Encoded track ends before ${field}: needs ${n} byte(s) at offset ${this.offset}, ${left} left`);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf.readUInt8(this.offset++);
  }

  bool(field: string): boolean {
    return this.u8(field) !== 0;
  }

  int64(field: string): number {
    this.need(8, field);
    const value = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return Number(value);
  }

  /** Java readUTF: u16 byte length + modified UTF-8, decoded to UTF-16 code units. */
  utf(field: string): string {
    this.need(2, `${field} length`);
    const len = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    this.need(len, field);
    const { buf } = this;
    const end = this.offset + len;
    const bad = (at: number, why: string): never => fail(ErrorCode.TrackBadString, `${field} is not modified UTF-8: ${why} at offset ${at}`);
    let out = '';
    let i = this.offset;
    while (i < end) {
      const a = buf[i]!;
      let unit: number;
      if (a < 0x80) {
        unit = a;
        i += 1;
      } else if ((a & 0xe0) === 0xc0 || (a & 0xf0) === 0xe0) {
        const width = (a & 0xe0) === 0xc0 ? 2 : 3;
        if (i + width > end) bad(i, `sequence cut off by the string's end`);
        unit = a & (width === 2 ? 0x1f : 0x0f);
        for (let k = 1; k < width; k++) {
          const c = buf[i + k]!;
          if ((c & 0xc0) !== 0x80) bad(i + k, `bad continuation byte 0x${c.toString(16)}`);
          unit = (unit << 6) | (c & 0x3f);
        }
        i += width;
      } else {
        // 80-BF is a stray continuation; F0-FF would be 4-byte UTF-8, which modified UTF-8 never uses.
        return bad(i, `invalid lead byte 0x${a.toString(16)}`);
      }
      out += String.fromCharCode(unit);
    }
    this.offset = end;
    return out;
  }

  nullableUtf(field: string): string | null {
    return this.bool(`${field} presence flag`) ? this.utf(field) : null;
  }
}
