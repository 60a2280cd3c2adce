/**
 * Plugin events about a player (SponsorBlock, LavaLyrics), read into their types; any other
 * `event` frame Lavalink itself does not send comes as `unknown`, with its fields.
 */
import { finite, isObject, object, text, toLyrics, toLyricsLine, type Lyrics, type LyricsLine, type SponsorChapter, type SponsorSegment } from './plugins.js';
import type { JsonObject } from './rest.js';

/**
 * A plugin's event about a player, read into its type. One this library does not know, or one
 * whose fields it cannot read, comes as `unknown` with the frame's fields: never dropped.
 */
export type PluginEvent =
  | {
    /** SponsorBlock loaded the track's segments. */
    readonly type: 'SegmentsLoaded';
    /** The segments it will skip. */
    readonly segments: readonly SponsorSegment[];
  }
  | {
    /** SponsorBlock skipped a segment (the player jumped over it). */
    readonly type: 'SegmentSkipped';
    /** The segment skipped. */
    readonly segment: SponsorSegment;
  }
  | {
    /** SponsorBlock loaded the video's chapters. */
    readonly type: 'ChaptersLoaded';
    /** The chapters. */
    readonly chapters: readonly SponsorChapter[];
  }
  | {
    /** A chapter began. */
    readonly type: 'ChapterStarted';
    /** The chapter. */
    readonly chapter: SponsorChapter;
  }
  | {
    /** LavaLyrics found lyrics for the track (when subscribed). */
    readonly type: 'LyricsFoundEvent';
    /** The lyrics. */
    readonly lyrics: Lyrics;
  }
  | {
    /** LavaLyrics found no lyrics for the track (when subscribed). */
    readonly type: 'LyricsNotFoundEvent';
  }
  /** `lineIndex` -1 and `skipped` false when an older LavaLyrics leaves them out. */
  | {
    /** LavaLyrics: a line begins (when subscribed). */
    readonly type: 'LyricsLineEvent';
    /** Index of the line in the lyrics. */
    readonly lineIndex: number;
    /** The line. */
    readonly line: LyricsLine;
    /** Whether the line was skipped over (a seek). */
    readonly skipped: boolean;
  }
  | {
    /** An event lavathread does not know, or could not read: kept as sent. */
    readonly type: 'unknown';
    /** The event's `type` as the node sent it. */
    readonly name: string;
    /** The frame's other fields. */
    readonly data: JsonObject;
  };

/** An `event` frame of a type Lavalink itself does not send (`name`), with its fields. */
export function readPluginEvent(name: string, frame: Record<string, unknown>): PluginEvent {
  const { op: _op, type: _type, guildId: _guildId, ...data } = frame;
  const known = readKnown(name, data);
  return known ?? { type: 'unknown', name, data: data as JsonObject };
}

function readKnown(name: string, data: Record<string, unknown>): PluginEvent | null {
  switch (name) {
    case 'SegmentsLoaded':
      return Array.isArray(data.segments) ? { type: name, segments: data.segments.map(toSegment) } : null;
    case 'SegmentSkipped':
      return isObject(data.segment) ? { type: name, segment: toSegment(data.segment) } : null;
    case 'ChaptersLoaded':
      return Array.isArray(data.chapters) ? { type: name, chapters: data.chapters.map(toChapter) } : null;
    case 'ChapterStarted':
      return isObject(data.chapter) ? { type: name, chapter: toChapter(data.chapter) } : null;
    case 'LyricsFoundEvent':
      return isObject(data.lyrics) ? { type: name, lyrics: toLyrics(data.lyrics)! } : null;
    case 'LyricsNotFoundEvent':
      return { type: name };
    case 'LyricsLineEvent':
      return isObject(data.line) ? { type: name, lineIndex: finite(data.lineIndex) ?? -1, line: toLyricsLine(data.line), skipped: data.skipped === true } : null;
    default:
      return null;
  }
}

function toSegment(raw: unknown): SponsorSegment {
  const o = object(raw);
  return { category: text(o.category), start: finite(o.start) ?? 0, end: finite(o.end) ?? 0 };
}

function toChapter(raw: unknown): SponsorChapter {
  const o = object(raw);
  const [start, end] = [finite(o.start) ?? 0, finite(o.end) ?? 0];
  // The README shows `duration` as text, the plugin sends a number: either is read.
  const duration = finite(o.duration) ?? (typeof o.duration === 'string' && /^\d+$/.test(o.duration) ? Number(o.duration) : end - start);
  return { name: text(o.name), start, end, duration };
}
