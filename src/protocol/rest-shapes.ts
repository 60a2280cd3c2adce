/**
 * What a node's REST answers are, in one shape for both protocol versions: tracks, load results,
 * node info, route planner status, sessions, players. The adapters build these (rest-readers.ts).
 */
import type { NodeFilters } from './filters.js';
import type { Playlist } from './plugins.js';
import type { TrackInfo } from './track-codec.js';

/** Any value JSON can carry: what a node's answers are made of. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value: a primitive, an array or an object of JSON values. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: string keys, JSON values. */
export type JsonObject = { [key: string]: JsonValue };

/** A track as the node describes it: its encoded form plus its decoded info. */
export interface Track {
  /** The base64 track message the node plays; hand it back to `play()` or `decode()`. */
  encoded: string;
  /** Title, author, length, URI and the rest, decoded. */
  info: TrackInfo;
  /** What the source's plugin adds (v4); `{}` otherwise. */
  pluginInfo: JsonObject;
  /** What the bot attached when it played the track (v4); `{}` otherwise. */
  userData: JsonObject;
}

/** Why a load failed, as the node reports it. */
export interface LoadException {
  /** The node's message, meant for a person; null when it gave none. */
  message: string | null;
  /** `common`: the source said why (a private video, a region lock); `suspicious`: an unexpected answer from the source; `fault`: a failure inside the node. */
  severity: 'common' | 'suspicious' | 'fault';
  /** The underlying error the node names; null when there is none. */
  cause: string | null;
}

/** What loading an identifier or a search answers, in one shape for v3 and v4 nodes; switch on `loadType`. */
export type LoadResult =
  | {
    /** One track: the identifier named a single track. */
    loadType: 'track';
    /** The track. */
    track: Track;
  }
  | {
    /** A playlist: the identifier named one. */
    loadType: 'playlist';
    /** The playlist, its name and tracks. */
    playlist: Playlist;
  }
  | {
    /** Search results: the identifier was a search (`ytsearch:...`). */
    loadType: 'search';
    /** The tracks found, best match first. */
    tracks: Track[];
  }
  | {
    /** Nothing matched. */
    loadType: 'empty';
  }
  | {
    /** The load failed; `exception` says why. */
    loadType: 'error';
    /** Why the load failed. */
    exception: LoadException;
  };

/** Who the node says it is (v4 `GET /v4/info`, 3.7 `GET /v3/info`). */
export interface NodeInfo {
  /** The node's version. */
  version: {
    /** The whole version string, e.g. `4.0.8`. */
    semver: string;
    /** Major version. */
    major: number;
    /** Minor version. */
    minor: number;
    /** Patch version. */
    patch: number;
    /** Pre-release label (e.g. `rc1`); null for a release. */
    preRelease: string | null;
    /** Build metadata (v4); null on 3.7. */
    build: string | null;
  };
  /** Epoch ms. */
  buildTime: number;
  /** The git branch and commit the node was built from. */
  git: {
    /** Branch. */
    branch: string;
    /** Commit hash. */
    commit: string;
    /** Epoch ms. */
    commitTime: number;
  };
  /** The JVM version the node runs on. */
  jvm: string;
  /** The lavaplayer version the node uses. */
  lavaplayer: string;
  /** Audio sources the node has enabled (`youtube`, `soundcloud`, `http`, ...). */
  sourceManagers: string[];
  /** The filters this node has enabled. */
  filters: string[];
  /** Plugins the node loaded. */
  plugins: {
    /** The plugin's name. */
    name: string;
    /** The plugin's version. */
    version: string;
  }[];
}

/** The IP block a route planner rotates through (`size` is a big integer, as text). */
export interface IpBlock {
  /** IPv4 or IPv6 block (other names pass through as the node sends them). */
  type: 'Inet4Address' | 'Inet6Address' | (string & {});
  /** How many addresses the block holds. */
  size: string;
}

/** An address the route planner marked as failing (rate-limited by a source). */
export interface FailingAddress {
  /** The address. */
  failingAddress: string;
  /** Epoch ms. */
  failingTimestamp: number;
  /** When it was marked, as the node formats it. */
  failingTime: string;
}

/** What every route planner reports. */
export interface RoutePlannerDetails {
  /** The block the planner takes addresses from. */
  ipBlock: IpBlock;
  /** Addresses marked as failing; `rest.unmark()` clears them. */
  failingAddresses: FailingAddress[];
}

/**
 * A node's route planner (`GET /v4/routeplanner/status`, v3 `GET /routeplanner/status`), by class. Indexes are big integers,
 * as text, as Lavalink sends them. A class this library does not know comes as `Other`, with the
 * node's name for it and the details every planner has.
 */
export type RoutePlannerStatus =
  | {
    /** Moves to another address when the current one is banned (IPv4 blocks, or IPv6 blocks smaller than a /64). */
    class: 'RotatingIpRoutePlanner';
    /** Common details plus where the rotation stands. */
    details: RoutePlannerDetails & {
      /** Index of the rotation, as text. */
      rotateIndex: string;
      /** Index of the current address, as text. */
      ipIndex: string;
      /** The address in use. */
      currentAddress: string;
    };
  }
  | {
    /** Moves to the next address on every clock tick (a /64 IPv6 block or larger). */
    class: 'NanoIpRoutePlanner';
    /** Common details plus the current address index. */
    details: RoutePlannerDetails & {
      /** Index of the current address, as text. */
      currentAddressIndex: string;
    };
  }
  | {
    /** Moves to the next address on every clock tick, and to another /64 block when one is banned. */
    class: 'RotatingNanoIpRoutePlanner';
    /** Common details plus where the rotation stands. */
    details: RoutePlannerDetails & {
      /** Index of the current block, as text. */
      blockIndex: string;
      /** Index of the current address, as text. */
      currentAddressIndex: string;
    };
  }
  | {
    /** A random address for each track load. */
    class: 'BalancingIpRoutePlanner';
    /** Common details. */
    details: RoutePlannerDetails;
  }
  | {
    /** A planner class this library does not know. */
    class: 'Other';
    /** The node's name for the class. */
    name: string;
    /** Common details. */
    details: RoutePlannerDetails;
  };

/** A session's resuming settings (v4 `PATCH /v4/sessions/{id}`; v3: a resume key is set or not). */
export interface SessionInfo {
  /** Whether the node keeps the session when the connection drops. */
  resuming: boolean;
  /** Seconds the node keeps the session after the connection drops. */
  timeout: number;
}

/** A player as the node reports it (`GET /sessions/{id}/players`, v4 and 3.7, normalised). */
export interface NodePlayer {
  /** The guild the player plays in. */
  guildId: string;
  /** The track it plays; null when none. */
  track: Track | null;
  /** Volume, 0 to 1000 (100 is unchanged). */
  volume: number;
  /** Whether it is paused. */
  paused: boolean;
  /** ms into the track when the node answered. */
  position: number;
  /** Whether the node's voice connection to Discord is open. */
  connected: boolean;
  /** ms to Discord's voice server; -1 when not connected or not reported. */
  ping: number;
  /** The filters the node applies. */
  filters: NodeFilters;
  /** `channelId` is v4.2's; null elsewhere. Strings are '' without a voice connection. */
  voice: {
    /** Discord voice token. */
    token: string;
    /** Discord voice server endpoint. */
    endpoint: string;
    /** Discord voice session id. */
    sessionId: string;
    /** The voice channel (Lavalink 4.2's DAVE field); null when the node does not report it. */
    channelId: string | null;
  };
}
