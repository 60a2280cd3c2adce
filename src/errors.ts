/**
 * Every error lavathread throws or rejects with is a {@link LavalinkError}: a stable `code` to
 * branch on, and a message meant for people. Subclasses add the fields their failure needs.
 */

/** Stable error codes. Branch on these, never on messages. */
export const ErrorCode = {
  /** An encoded track is not valid base64. */
  TrackBadBase64: 'LAVALINK_TRACK_BAD_BASE64',
  /** An encoded track ends before the field being read. */
  TrackTruncated: 'LAVALINK_TRACK_TRUNCATED',
  /** The size in an encoded track's header disagrees with its length. */
  TrackBadSize: 'LAVALINK_TRACK_BAD_SIZE',
  /** An encoded track names a message version this codec does not know. */
  TrackUnknownVersion: 'LAVALINK_TRACK_UNKNOWN_VERSION',
  /** A string in an encoded track is not valid modified UTF-8. */
  TrackBadString: 'LAVALINK_TRACK_BAD_STRING',
  /** A track cannot be encoded (a field is missing, out of range or too long). */
  TrackUnencodable: 'LAVALINK_TRACK_UNENCODABLE',
  /** An option or argument has the wrong type or value. */
  InvalidOption: 'LAVALINK_INVALID_OPTION',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every lavathread error. */
export class LavalinkError extends Error {
  /** Stable, documented code; see {@link ErrorCode}. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An encoded track could not be decoded or encoded (spec §7). */
export class TrackCodecError extends LavalinkError {}

/** An option or argument is invalid. Thrown synchronously where the API is synchronous. */
export class InvalidOptionError extends LavalinkError {
  /** The option's name, as the user spelled it (`nodes[0].port`). */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super(ErrorCode.InvalidOption, `Expected \`${option}\` to be ${expected}, got ${describe(received)}`);
    this.option = option;
  }
}

/** `1200` (number), `"x"` (string), `null`: what a validation message says it got. */
export function describe(value: unknown): string {
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  const type = Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') shown = String(value);
  else if (typeof value === 'symbol') shown = value.toString();
  else if (typeof value === 'function') shown = `[function ${value.name || 'anonymous'}]`;
  else {
    try {
      shown = JSON.stringify(value) ?? type;
    } catch {
      shown = Object.prototype.toString.call(value);
    }
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  return `\`${shown}\` (${type})`;
}
