/**
 * `PATCH /v4/sessions/{sid}/players/{gid}` (and 3.7's `/v3/...` twin): validation and the order
 * of effects exactly as Lavalink's PlayerRestHandler applies them: validation → voice
 * → pause/userData → volume → seek → endTime → filters → new track.
 */
import { TrackCodecError } from '../errors.js';
import { UnreadableTrackVersionError, type Catalogue } from './catalogue.js';
import { HttpError } from './http-reply.js';
import type { Quirks } from './quirks.js';
import type { SimSession } from './session.js';
import type { SimPlayer } from './sim-player.js';
import type { SimTrack, VoiceState } from './types.js';

/** Filters Lavalink knows; a request may also carry `pluginFilters` (v4). */
export const filterNames = ['volume', 'equalizer', 'karaoke', 'timescale', 'tremolo', 'vibrato', 'rotation', 'distortion', 'channelMix', 'lowPass'] as const;

export interface PatchRules {
  readonly catalogue: Catalogue;
  readonly disabledFilters: ReadonlySet<string>;
  readonly quirks: Readonly<Pick<Quirks, 'pauseNeedsVoice' | 'ignoresNoReplace' | 'dropsUserData'>>;
}

type Json = Record<string, unknown>;

const has = (o: Json, key: string): boolean => Object.hasOwn(o, key);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const unreadable = (): never => {
  // What Spring answers when the body does not deserialise into PlayerUpdate.
  throw new HttpError(400, 'Failed to read request');
};

function expect(ok: boolean): void {
  if (!ok) unreadable();
}

/** Type checks kotlinx would make while deserialising the body. */
function checkTypes(body: Json, v4: boolean): void {
  const optional = (key: string, ok: (v: unknown) => boolean): void => {
    if (has(body, key)) expect(ok(body[key]));
  };
  const int = (v: unknown): boolean => Number.isSafeInteger(v);
  optional('encodedTrack', (v) => v === null || typeof v === 'string');
  optional('identifier', (v) => typeof v === 'string');
  optional('position', int);
  optional('endTime', (v) => v === null || int(v));
  optional('volume', int);
  optional('paused', (v) => typeof v === 'boolean');
  optional('filters', isObject);
  optional('voice', (v) => isObject(v) && ['token', 'endpoint', 'sessionId'].every((k) => typeof v[k] === 'string') && (!has(v, 'channelId') || v.channelId === null || typeof v.channelId === 'string'));
  if (v4) {
    optional('track', (v) => isObject(v));
    if (isObject(body.track)) {
      const t = body.track;
      if (has(t, 'encoded')) expect(t.encoded === null || typeof t.encoded === 'string');
      if (has(t, 'identifier')) expect(typeof t.identifier === 'string');
      if (has(t, 'userData')) expect(isObject(t.userData));
    }
  }
  if (isObject(body.filters)) expect(filterTypesValid(body.filters, true));
}

/**
 * Whether every known filter has the type the server deserialises it as; shared by PATCH (whose
 * filters object may hold `pluginFilters`) and the v3 `filters` op (whose plugin filters are
 * extra top-level keys), as their fields are the same.
 */
export function filterTypesValid(filters: Json, pluginFiltersKey: boolean): boolean {
  return Object.entries(filters).every(([name, value]) => {
    if (name === 'volume') return typeof value === 'number' && Number.isFinite(value);
    if (name === 'equalizer') return Array.isArray(value) && value.every((b) => isObject(b) && Number.isInteger(b.band) && (!has(b, 'gain') || typeof b.gain === 'number'));
    if ((pluginFiltersKey && name === 'pluginFilters') || (filterNames as readonly string[]).includes(name)) return isObject(value);
    return true; // a plugin filter: the server passes it on as it is
  });
}

function voiceText(voice: Json, withChannel: boolean): string {
  const text = (key: string): string => (typeof voice[key] === 'string' ? voice[key] : 'null');
  const parts = [`token=${text('token')}`, `endpoint=${text('endpoint')}`, `sessionId=${text('sessionId')}`];
  if (withChannel) parts.push(`channelId=${text('channelId')}`);
  return `VoiceState(${parts.join(', ')})`;
}

/** Applies a player update; returns the player. Throws {@link HttpError} as Lavalink answers. */
export function patchPlayer(session: SimSession, guildId: string, input: unknown, noReplace: boolean, rules: PatchRules): SimPlayer {
  const release = session.dialect.release;
  const v4 = release.protocol === 4;
  if (!isObject(input)) return unreadable();
  const body = input;
  checkTypes(body, v4);

  const trackObject = v4 && isObject(body.track) ? body.track : undefined;
  if (trackObject && (has(body, 'encodedTrack') || has(body, 'identifier'))) {
    throw new HttpError(400, 'Cannot specify both track and encodedTrack/identifier');
  }
  const fields = trackObject ?? body;
  const hasEncoded = has(fields, 'encoded') || (!trackObject && has(body, 'encodedTrack'));
  const encoded = (trackObject ? trackObject.encoded : body.encodedTrack) as string | null | undefined;
  const hasIdentifier = has(fields, 'identifier');
  const identifier = fields.identifier as string | undefined;
  // NodeLink keeps no userData: tracks then carry `{}`.
  const userData = trackObject && isObject(trackObject.userData) && !rules.quirks.dropsUserData ? trackObject.userData : undefined;
  const newTrack = hasEncoded || hasIdentifier;
  if (hasEncoded && hasIdentifier) throw new HttpError(400, 'Cannot specify both encodedTrack and identifier');

  if (isObject(body.filters)) {
    const disabled = Object.keys(body.filters).filter((name) => rules.disabledFilters.has(name));
    if (disabled.length > 0) throw new HttpError(400, `Following filters are disabled in the config: ${disabled.join(', ')}`);
  }

  let voice: VoiceState | undefined;
  if (isObject(body.voice)) {
    const v = body.voice;
    const blank = (x: unknown): boolean => typeof x !== 'string' || x.trim() === '';
    const partial = blank(v.token) || blank(v.endpoint) || blank(v.sessionId) || (release.requiresChannelId && blank(v.channelId));
    if (partial) throw new HttpError(400, v4 ? `Partial Lavalink voice state: ${voiceText(v, release.requiresChannelId)}` : 'Partial voice state update');
    voice = { token: v.token as string, endpoint: v.endpoint as string, sessionId: v.sessionId as string, channelId: typeof v.channelId === 'string' ? v.channelId : null };
  }

  const endTime = body.endTime as number | null | undefined;
  if (v4 && typeof endTime === 'number' && endTime <= 0) throw new HttpError(400, 'End time must be greater than 0');

  // NodeLink refuses `paused` without a live voice connection, before it applies anything.
  if (rules.quirks.pauseNeedsVoice && typeof body.paused === 'boolean' && !voice && !session.players.get(guildId)?.voiceConnected) {
    throw new HttpError(400, 'The player is not connected to a voice channel');
  }

  const player = session.player(guildId);

  // Reconnects (with a playerUpdate) only when something changed or the old connection is closed.
  if (voice) player.setVoice(voice);
  if (!newTrack && typeof body.paused === 'boolean') player.setPaused(body.paused);
  if (!newTrack && userData && player.track) player.track.userData = userData;
  if (typeof body.volume === 'number') player.setVolume(body.volume);
  if (!newTrack && typeof body.position === 'number' && player.track) player.seek(body.position);
  if (!newTrack && has(body, 'endTime')) {
    // 4.x ignores `endTime: null`; 3.7 used it to clear the marker.
    if (typeof endTime === 'number') player.setEndTime(endTime);
    else if (!v4) player.setEndTime(null);
  }
  if (isObject(body.filters)) player.setFilters(body.filters);

  if (!newTrack) return player;
  if (noReplace && player.track && !rules.quirks.ignoresNoReplace) return player;
  const paused = typeof body.paused === 'boolean' ? body.paused : false;
  const track = hasEncoded ? decoded(encoded ?? null, rules) : loadOne(identifier ?? '', rules, v4);
  if (!track) {
    player.setPaused(paused);
    player.stop();
    return player;
  }
  if (userData) track.userData = userData;
  player.play(track, {
    paused,
    ...(typeof body.position === 'number' ? { position: body.position } : {}),
    ...(typeof endTime === 'number' && endTime > 0 ? { endTime } : {}),
  });
  return player;
}

function decoded(encoded: string | null, rules: PatchRules): SimTrack | null {
  if (encoded === null) return null; // `encoded: null` stops playback
  try {
    return rules.catalogue.decode(encoded);
  } catch (error) {
    if (error instanceof TrackCodecError) throw new HttpError(400, `Failed to decode track: ${error.message}`);
    if (error instanceof UnreadableTrackVersionError) throw new HttpError(500, error.message);
    throw error;
  }
}

function loadOne(identifier: string, rules: PatchRules, v4: boolean): SimTrack {
  const result = rules.catalogue.load(identifier);
  switch (result.kind) {
    case 'track':
      return result.track;
    case 'playlist':
    case 'search':
      throw new HttpError(v4 ? 400 : 500, v4 ? 'Cannot play a playlist or search result' : 'Cannot play a playlist');
    case 'empty':
      throw new HttpError(v4 ? 400 : 500, v4 ? 'No matches found for identifier' : `No track found for identifier ${identifier}`);
    case 'error':
      // Lavalink wraps a load failure in a 500 with the exception's message.
      throw new HttpError(500, result.exception.message);
  }
}
