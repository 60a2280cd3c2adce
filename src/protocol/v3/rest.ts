/** v3 REST (spec §3.4), answered in the version-neutral shapes of protocol/rest.ts. */
import { RestError, SocketClosedError } from '../../errors.js';
import type { AdapterContext } from '../adapter.js';
import { text, toException, toTrack, type LoadResult, type RestRequest } from '../rest.js';

export async function v3Request(request: RestRequest, context: AdapterContext): Promise<unknown> {
  const { rest } = context;
  switch (request.kind) {
    case 'load':
      return toLoadResult(await rest.request('GET', `/loadtracks?identifier=${encodeURIComponent(request.identifier)}`));
    case 'decode':
      return ((await rest.request('POST', '/decodetracks', request.tracks)) as unknown[]).map(toTrack);
    case 'info':
      return rest.request('GET', '/v3/info');
    case 'stats':
      return rest.request('GET', '/v3/stats');
    case 'version':
      try {
        return String(await rest.request('GET', '/version'));
      } catch (error) {
        if (error instanceof RestError && error.status === 404) return '3.3'; // 3.3 has no /version
        throw error;
      }
    case 'routePlanner':
      return rest.request('GET', '/routeplanner/status');
    case 'unmark':
      if (request.address === null) await rest.request('POST', '/routeplanner/free/all');
      else await rest.request('POST', '/routeplanner/free/address', { address: request.address });
      return null;
    case 'players':
      // Only 3.7 lists players; its answer has the v4 shape but for the voice fields.
      if (context.sessionId === null) throw new SocketClosedError('This v3 node has no session REST');
      return rest.request('GET', `/v3/sessions/${context.sessionId}/players`);
  }
}

function toLoadResult(raw: unknown): LoadResult {
  const r = (raw ?? {}) as { loadType?: unknown; tracks?: unknown[]; playlistInfo?: { name?: unknown; selectedTrack?: unknown }; exception?: unknown };
  const tracks = (r.tracks ?? []).map(toTrack);
  switch (r.loadType) {
    case 'TRACK_LOADED':
      return tracks[0] ? { loadType: 'track', track: tracks[0] } : { loadType: 'empty' };
    case 'PLAYLIST_LOADED':
      return { loadType: 'playlist', playlist: { name: text(r.playlistInfo?.name), selectedTrack: Number(r.playlistInfo?.selectedTrack ?? -1), tracks } };
    case 'SEARCH_RESULT':
      return { loadType: 'search', tracks };
    case 'LOAD_FAILED':
      return { loadType: 'error', exception: toException(r.exception) };
    default:
      return { loadType: 'empty' };
  }
}
