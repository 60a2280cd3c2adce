/**
 * The Redis keys of one cluster id and the Lua scripts that touch them. Every write runs inside a
 * script that checks the lease's token first (a fence): a process that lost its lease can never
 * overwrite the new owner's data, whatever its timers or in-flight commands do.
 *
 * All keys share one hash tag (`{clusterId}`), so on Redis Cluster they live in one slot and a
 * script may touch them together.
 */
import type { FieldChanges, HashChanges } from './written-fields.js';

export interface ClusterKeys {
  /** The lease: the holder's token, with a TTL. */
  readonly lease: string;
  /** The token of the last process that took the lease (no TTL): tells an expired lease from lost data. */
  readonly owner: string;
  readonly meta: string;
  /** socketId → StoredSession JSON. */
  readonly sessions: string;
  /** guildId → StoredPlayer JSON (without its queue, with `at`: when its position was read). */
  readonly players: string;
  /** guildId → QueueSnapshot JSON. */
  readonly queues: string;
}

export function clusterKeys(prefix: string, clusterId: string): ClusterKeys {
  const base = `${prefix}:{${clusterId}}`;
  return { lease: `${base}:lease`, owner: `${base}:owner`, meta: `${base}:meta`, sessions: `${base}:sessions`, players: `${base}:players`, queues: `${base}:queues` };
}

/** What the fence answers. */
export const Fence = {
  /** Another process holds the lease, or took it since: this one must stop. */
  Lost: 0,
  /** The lease is this process's (renewed). */
  Held: 1,
  /** The lease had expired and nobody took it: taken again, the data is intact. */
  Retaken: 2,
  /** The lease and its owner record were gone (Redis lost its data, e.g. restarted without persistence): taken again; write everything. */
  RetakenEmpty: 3,
} as const;

/**
 * KEYS[1] lease, KEYS[2] owner; ARGV[1] token, ARGV[2] ttl ms. After a release the owner key keeps
 * a tombstone, so the releasing process can never take the lease back by accident.
 */
const FENCE = `
local function fence(token, ttl)
  local holder = redis.call('GET', KEYS[1])
  if holder == token then
    redis.call('PEXPIRE', KEYS[1], ttl)
    return ${Fence.Held}
  end
  if holder then return ${Fence.Lost} end
  local owner = redis.call('GET', KEYS[2])
  if owner and owner ~= token then return ${Fence.Lost} end
  redis.call('SET', KEYS[1], token, 'PX', ttl)
  redis.call('SET', KEYS[2], token)
  if owner then return ${Fence.Retaken} end
  return ${Fence.RetakenEmpty}
end
`;

/** Answers 0 when taken (or already this token's), else the holder's remaining ms (-1: no TTL). */
export const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[1])
  return 0
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
local left = redis.call('PTTL', KEYS[1])
if left == 0 then return 1 end
return left
`;

/** Answers a Fence value. */
export const RENEW = `${FENCE}
return fence(ARGV[1], ARGV[2])
`;

/** Answers 1 when this token's lease was given up. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], 'released:' .. ARGV[1])
  return 1
end
return 0
`;

/**
 * A fenced write. KEYS: lease, owner, sessions, players, queues, meta. ARGV: token, ttl, savedAt,
 * replace ('1': the hashes are emptied first, for a writer that does not know what they hold),
 * then for each of the three hashes: how many fields to set, field/value pairs, how many to
 * delete, the fields. Answers a Fence value; nothing is written when it is Lost.
 */
export const WRITE = `${FENCE}
local status = fence(ARGV[1], ARGV[2])
if status == ${Fence.Lost} then return status end
if ARGV[4] == '1' then redis.call('DEL', KEYS[3], KEYS[4], KEYS[5]) end
local i = 5
for h = 3, 5 do
  local sets = tonumber(ARGV[i])
  i = i + 1
  for _ = 1, sets do
    redis.call('HSET', KEYS[h], ARGV[i], ARGV[i + 1])
    i = i + 2
  end
  local dels = tonumber(ARGV[i])
  i = i + 1
  for _ = 1, dels do
    redis.call('HDEL', KEYS[h], ARGV[i])
    i = i + 1
  end
end
redis.call('HSET', KEYS[6], 'format', '1', 'savedAt', ARGV[3])
return status
`;

/** Fields (sets and deletes) per script call: bounds how long one call holds Redis. */
const FIELDS_PER_CALL = 1000;

/** The write script's arguments after its fixed ones, split so that each call stays small. */
export function writeCalls(changes: FieldChanges): (string | number)[][] {
  const hashes: HashChanges[] = [changes.sessions, changes.players, changes.queues];
  const calls: (string | number)[][] = [];
  let chunk: HashChanges[] = hashes.map(() => ({ set: [], del: [] }));
  let size = 0;
  const flush = (): void => {
    calls.push(chunk.flatMap((h) => [h.set.length, ...h.set.flat(), h.del.length, ...h.del]));
    chunk = hashes.map(() => ({ set: [], del: [] }));
    size = 0;
  };
  hashes.forEach((hash, i) => {
    for (const pair of hash.set) {
      chunk[i]!.set.push(pair);
      if (++size === FIELDS_PER_CALL) flush();
    }
    for (const field of hash.del) {
      chunk[i]!.del.push(field);
      if (++size === FIELDS_PER_CALL) flush();
    }
  });
  if (size > 0 || calls.length === 0) flush();
  return calls;
}
