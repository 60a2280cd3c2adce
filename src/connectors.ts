/**
 * Connectors: the few lines that join a Manager to a gateway library. Each takes the library's
 * client and answers a `send` for ManagerOptions and an `attach(manager)` that feeds the client's
 * raw voice dispatches to `manager.handleRaw` and calls `manager.init()` with the bot's user id once
 * the client is ready. The libraries are described here by the little that is used of them, so
 * none is a dependency: pass the client you already have.
 *
 * ```ts
 * const connector = discordJs(client);
 * const manager = new Manager(nodes, { send: connector.send });
 * connector.attach(manager);
 * ```
 */
import { InvalidOptionError } from './errors.js';
import type { Manager } from './manager.js';

/** What a connector answers: the Manager's `send`, and `attach` to wire the client's events. */
export interface Connector {
  /** ManagerOptions.send: the op 4 payload (`{ op, d }`), through the shard of the guild. */
  readonly send: (guildId: string, payload: unknown) => void;
  /**
   * Feeds the client's raw dispatches to `manager.handleRaw` and calls `manager.init()` with the
   * bot's user id once the client is ready (at once if it is). Answers a function that detaches.
   */
  attach(manager: Manager): () => void;
}

type Listener = (...args: unknown[]) => void;

/** Discord's op 4, as the Manager sends it. */
interface Op4 {
  readonly op: number;
  readonly d: unknown;
}

/** An event emitter as the libraries have them. */
interface Emitter {
  /** Adds a listener for `event`. */
  on(event: string, listener: Listener): unknown;
  /** Removes a listener added with `on`. */
  off(event: string, listener: Listener): unknown;
}

/** What is used of a discord.js v14 `Client`. */
export interface DiscordJsClient extends Emitter {
  /** The logged-in bot user; null before login. */
  readonly user: {
    /** The bot's user id. */
    readonly id: string;
  } | null;
  /** The client's guilds. */
  readonly guilds: {
    /** Guilds in the client's cache. */
    readonly cache: {
      /** The guild of that id, if cached. */
      get(id: string): {
        /** The shard the guild is on. */
        readonly shard: {
          /** Sends a gateway payload on the shard. */
          send(payload: unknown): void;
        };
      } | undefined;
    };
  };
}

/** What is used of an Eris `Client`. */
export interface ErisClient extends Emitter {
  /** The logged-in bot user; null or absent before login. */
  readonly user?: {
    /** The bot's user id. */
    readonly id: string;
  } | null;
  /** The client's guilds. */
  readonly guilds: {
    /** The guild of that id, if known. */
    get(id: string): {
      /** The shard the guild is on. */
      readonly shard: {
        /** Sends a gateway op on the shard. */
        sendWS(op: number, d: unknown): void;
      };
    } | undefined;
  };
}

/** What is used of an Oceanic.js `Client`. */
export interface OceanicClient extends Emitter {
  /** The logged-in bot user; null or absent before login. */
  readonly user?: {
    /** The bot's user id. */
    readonly id: string;
  } | null;
  /** Whether the client is ready. */
  readonly ready?: boolean;
  /** The client's guilds. */
  readonly guilds: {
    /** The guild of that id, if known. */
    get(id: string): {
      /** The shard the guild is on. */
      readonly shard: {
        /** Sends a gateway op on the shard. */
        send(op: number, d: unknown): void;
      };
    } | undefined;
  };
}

/** A Seyfert client event, as its event files (`createEvent`) make them. */
interface SeyfertEvent {
  readonly data: { readonly name: string };
  run(...args: never[]): unknown;
}

/** What is used of a Seyfert `Client`: its shard manager, and its event handler's events by name. */
export interface SeyfertClient {
  /** Seyfert's shard manager. */
  readonly gateway: {
    /** The shard that serves a guild. */
    calculateShardId(guildId: string): number;
    /** Sends a gateway payload on a shard. */
    send(shardId: number, payload: never): unknown;
  };
  /** Seyfert's event handler. */
  readonly events?: {
    /** The bot's events, by name. */
    readonly values: {
      /** The bot's own `raw` event file, if it has one (it runs after the connector's). */
      RAW?: SeyfertEvent | undefined;
    };
  } | undefined;
  /** The bot's id: known once the client logged in (Seyfert reads it from the token). */
  readonly botId?: string;
}

/**
 * The connector of a client whose raw dispatches come as `rawEvent` and which says it is ready
 * with any of `readyEvents` (a user id known means ready already). The READY dispatch itself
 * starts the manager too, with the user id it carries: a client need not say it is ready in an
 * event the connector knows.
 */
function connector(client: Emitter, rawEvent: string, readyEvents: readonly string[], userId: () => string | null | undefined, send: (guildId: string, payload: Op4) => void): Connector {
  return {
    send: (guildId, payload) => send(guildId, payload as Op4),
    attach(manager) {
      let started = false;
      const start = (id: unknown): void => {
        if (started || typeof id !== 'string' || !/^\d{1,20}$/.test(id)) return;
        started = true;
        for (const event of readyEvents) client.off(event, ready);
        manager.init(id);
      };
      const raw: Listener = (packet: unknown) => {
        const dispatch = packet as { t?: unknown; d?: { user?: { id?: unknown } } } | null | undefined;
        if (!started && dispatch?.t === 'READY') start(dispatch.d?.user?.id);
        manager.handleRaw(packet);
      };
      const ready: Listener = () => start(userId());
      client.on(rawEvent, raw);
      if (userId()) start(userId());
      else for (const event of readyEvents) client.on(event, ready);
      return () => {
        client.off(rawEvent, raw);
        for (const event of readyEvents) client.off(event, ready);
      };
    },
  };
}

/**
 * discord.js v14: raw dispatches from the client's `raw` event, op 4 through the guild's shard.
 * It starts the manager on the READY dispatch (or `clientReady`), never listening to `ready`:
 * discord.js 14.22 and later warn that `ready` is deprecated as soon as anything listens to it.
 */
export function discordJs(client: DiscordJsClient): Connector {
  return connector(client, 'raw', ['clientReady'], () => client.user?.id, (guildId, payload) => client.guilds.cache.get(guildId)?.shard.send(payload));
}

/** Eris: raw dispatches from `rawWS`, op 4 through the guild's shard. */
export function eris(client: ErisClient): Connector {
  return connector(client, 'rawWS', ['ready'], () => client.user?.id, (guildId, payload) => client.guilds.get(guildId)?.shard.sendWS(payload.op, payload.d));
}

/** Oceanic.js: raw dispatches from `packet`, op 4 through the guild's shard. */
export function oceanic(client: OceanicClient): Connector {
  return connector(client, 'packet', ['ready'], () => (client.ready === false ? null : client.user?.id), (guildId, payload) => client.guilds.get(guildId)?.shard.send(payload.op, payload.d));
}

/**
 * Seyfert: raw dispatches through a `raw` event the connector puts in the client's events, op 4
 * through the guild's shard. Attach after `await client.start()`: start() loads the bot's event
 * files, and a `raw` event file of the bot's own would replace the connector's; attached after,
 * the connector's runs first and then the bot's. `init()` comes at once when the client knows its
 * bot id, else with the READY dispatch.
 */
export function seyfert(client: SeyfertClient): Connector {
  return {
    send: (guildId, payload) => void client.gateway.send(client.gateway.calculateShardId(guildId), payload as never),
    attach(manager) {
      const values = client.events?.values;
      if (!values) throw new InvalidOptionError('client', 'a Seyfert Client (with its events loaded)', client);
      const previous = values.RAW;
      const init = (id: unknown): void => {
        if (manager.userId === undefined && typeof id === 'string' && /^\d{1,20}$/.test(id)) manager.init(id);
      };
      const raw: SeyfertEvent = {
        data: { name: 'raw' },
        run: (...args: never[]) => {
          const packet = args[0] as { t?: unknown; d?: { user?: { id?: unknown } } } | undefined;
          if (packet?.t === 'READY') init(packet.d?.user?.id);
          manager.handleRaw(packet);
          return previous?.run(...args);
        },
      };
      values.RAW = raw;
      init(botIdOf(client));
      return () => {
        if (values.RAW === raw) values.RAW = previous;
      };
    },
  };
}

/** Seyfert reads the bot id from the token: before the client has one, reading it throws. */
function botIdOf(client: SeyfertClient): string | undefined {
  try {
    return client.botId;
  } catch {
    return undefined;
  }
}
