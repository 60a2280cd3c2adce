/** Library-wide constants. */

/** The package version; a unit test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** Sent as `Client-Name` in every handshake (spec §3.1, §4.1). */
export const CLIENT_NAME = `lavathread/${VERSION}`;
