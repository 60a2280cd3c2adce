/** Library-wide constants. */

/** The package version; a unit test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** Sent as the `Client-Name` header of every WebSocket handshake, as Lavalink asks clients to. */
export const CLIENT_NAME = `lavathread/${VERSION}`;
