/**
 * Reading a node's WebSocket frame: bytes in, a message or a typed error out. Pure, so it can be
 * fed anything (the fuzz tests do).
 */
import { ErrorCode, LavalinkError } from '../errors.js';

export type NodeFrame = Record<string, unknown> & { op: string };

/** Lavalink frames are a few levels deep; deeper ones would blow a recursive encoder's stack. */
export const MAX_FRAME_DEPTH = 64;

export function parseFrame(text: string, binary = false): NodeFrame | LavalinkError {
  if (binary) return new LavalinkError(ErrorCode.BadFrame, 'The node sent a binary frame');
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch (error) {
    return new LavalinkError(ErrorCode.BadFrame, `Unreadable frame from the node: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof (frame as { op?: unknown }).op !== 'string') {
    return new LavalinkError(ErrorCode.BadFrame, 'A frame from the node is not an object with an `op`');
  }
  if (nestedDeeperThan(frame, MAX_FRAME_DEPTH)) {
    return new LavalinkError(ErrorCode.BadFrame, `A frame from the node is nested deeper than ${MAX_FRAME_DEPTH} levels`);
  }
  return frame as NodeFrame;
}

/** Whether a parsed JSON value nests deeper than `limit` (iterative: no recursion to overflow). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
