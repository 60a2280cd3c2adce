/**
 * Discord's two voice dispatches as the Manager reads them: each payload is read once (what is
 * checked is what is used) and only the fields a player needs come out.
 */
import { readArgument } from '../errors.js';

/** The `d` of Discord's VOICE_STATE_UPDATE gateway dispatch (the fields lavathread reads). */
export interface VoiceStateUpdate {
  /** The guild; absent in a dispatch whose guild is implied. */
  guild_id?: string;
  /** The voice channel the user is in; null when they left voice. */
  channel_id: string | null;
  /** The user whose voice state changed (only the bot's own counts). */
  user_id: string;
  /** The user's voice session id. */
  session_id: string;
}

/** The `d` of Discord's VOICE_SERVER_UPDATE gateway dispatch. */
export interface VoiceServerUpdate {
  /** The voice token. */
  token: string;
  /** The guild. */
  guild_id: string;
  /** The voice server's host; null while Discord moves the guild to another server. */
  endpoint: string | null;
}

/** The bot's own voice state in a guild; null for anyone else's, or a payload without the fields. */
export function readVoiceState(update: unknown, userId: string | undefined): { guildId: string; channelId: string | null; sessionId: string } | null {
  if (typeof update !== 'object' || update === null) return null;
  const { user_id, guild_id, session_id, channel_id } = readArgument('update', 'a VOICE_STATE_UPDATE payload', () => ({ ...(update as Partial<VoiceStateUpdate>) }));
  if (user_id !== userId || typeof guild_id !== 'string' || typeof session_id !== 'string') return null;
  return { guildId: guild_id, channelId: typeof channel_id === 'string' ? channel_id : null, sessionId: session_id };
}

/** The guild's voice server; endpoint null while Discord moves the guild (an empty one too). */
export function readVoiceServer(update: unknown): { guildId: string; token: string; endpoint: string | null } | null {
  if (typeof update !== 'object' || update === null) return null;
  const { guild_id, token, endpoint } = readArgument('update', 'a VOICE_SERVER_UPDATE payload', () => ({ ...(update as Partial<VoiceServerUpdate>) }));
  if (typeof guild_id !== 'string' || typeof token !== 'string') return null;
  return { guildId: guild_id, token, endpoint: typeof endpoint === 'string' && endpoint !== '' ? endpoint : null };
}
