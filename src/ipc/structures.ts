/**
 * The msgpack structures both sides share, frozen: the same list, in the same order, on both
 * threads, never extended at run time (`maxSharedStructures` = its length). Shapes not listed here
 * still travel, as self-describing inline records. Order of keys matters: these are the orders the
 * host and Lavalink produce.
 */
export const sharedStructures: readonly (readonly string[])[] = [
  // envelopes (ipc/events.ts)
  ['seq', 'events'],
  ['kind', 'socketId', 'frame', 'event'],
  ['kind', 'socketId', 'state'],
  ['kind', 'socketId', 'first', 'names', 'slots', 'values'],
  // Lavalink frames, v4 field order
  ['op', 'guildId', 'state'],
  ['time', 'position', 'connected', 'ping'],
  ['op', 'players', 'playingPlayers', 'uptime', 'memory', 'cpu', 'frameStats'],
  ['free', 'used', 'allocated', 'reservable'],
  ['cores', 'systemLoad', 'lavalinkLoad'],
  ['sent', 'nulled', 'deficit'],
  ['op', 'type', 'guildId', 'track'],
  ['op', 'type', 'guildId', 'track', 'reason'],
  ['encoded', 'info', 'pluginInfo', 'userData'],
  ['identifier', 'isSeekable', 'author', 'length', 'isStream', 'position', 'title', 'uri', 'sourceName', 'artworkUrl', 'isrc'],
  // Lavalink 4's own order of track info (the simulator writes the one above)
  ['identifier', 'isSeekable', 'author', 'length', 'isStream', 'position', 'title', 'uri', 'artworkUrl', 'isrc', 'sourceName'],
  // An empty object (a track's pluginInfo and userData, most of the time). A shape not listed
  // travels defined inline, once per batch; msgpackr compiles a reader for it (new Function) when
  // a batch uses it more than twice: four empty objects per track event did that once per batch.
  [],
  // what frames mean (protocol/node-events.ts), in the order the adapters' readers build them
  ['type', 'stats'],
  ['players', 'playingPlayers', 'uptime', 'memory', 'cpu', 'frameStats'],
  ['type', 'guildId', 'track'],
  ['type', 'guildId', 'track', 'reason'],
];
