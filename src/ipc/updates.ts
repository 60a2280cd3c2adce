/**
 * playerUpdates as columns. Most of what a node sends is `playerUpdate`s of one fixed shape; as
 * objects, each cost the main thread ~0.23 µs to decode and route (three objects and a fresh
 * guild id string to hash), as columns ~0.03 µs. A socket's run of updates travels as one
 * {@link EventKind.Updates} event: guild ids, and {@link FIELDS} numbers per update (NaN where
 * the node left an optional field out; JSON has no NaN, so NaN cannot be a real value).
 */
import type { PlayerUpdateMessage } from '../protocol/messages.js';

/** time, position, connected (1, 0), ping. */
export const FIELDS = 4;

type State = PlayerUpdateMessage['state'];

/**
 * Appends a frame's fields to `values` and answers its guild id, or answers null (appending
 * nothing) when the frame is not a plain playerUpdate: those travel as they came.
 */
export function appendUpdate(frame: Record<string, unknown>, values: number[]): string | null {
  const { op, guildId, state } = frame;
  if (op !== 'playerUpdate' || typeof guildId !== 'string' || typeof state !== 'object' || state === null) return null;
  let keys = 0;
  for (const key in frame) if (Object.hasOwn(frame, key)) keys++;
  if (keys !== 3) return null;
  const { time, position, connected, ping } = state as Record<string, unknown>;
  // Only frames that read back exactly: `time` present, the other three optional, nothing else.
  if (typeof time !== 'number' || !Number.isFinite(time)) return null;
  let known = 0;
  for (const key in state) if (Object.hasOwn(state, key)) known++;
  const present = 1 + Number(position !== undefined) + Number(connected !== undefined) + Number(ping !== undefined);
  if (known !== present || !optional(position, 'number') || !optional(connected, 'boolean') || !optional(ping, 'number')) return null;
  values.push(time, num(position), connected === undefined ? NaN : connected ? 1 : 0, num(ping));
  return guildId;
}

/** The state of update `index` as the node sent it (absent fields stay absent). */
export function updateState(values: Float64Array, index: number): State {
  const at = index * FIELDS;
  const state: State = { time: values[at]! };
  const position = values[at + 1]!;
  const connected = values[at + 2]!;
  const ping = values[at + 3]!;
  if (!Number.isNaN(position)) state.position = position;
  if (!Number.isNaN(connected)) state.connected = connected === 1;
  if (!Number.isNaN(ping)) state.ping = ping;
  return state;
}

/** Update `index` as the frame it came as. */
export function updateFrame(guildId: string, values: Float64Array, index: number): PlayerUpdateMessage {
  return { op: 'playerUpdate', guildId, state: updateState(values, index) };
}

function optional(value: unknown, type: 'number' | 'boolean'): boolean {
  // A non-finite number cannot come from JSON; NaN would read back as "absent".
  return value === undefined || (typeof value === type && (type === 'boolean' || Number.isFinite(value)));
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}
