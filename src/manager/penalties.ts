/**
 * A node's load score for node selection (lower is better), from its latest stats: playing
 * players, a CPU curve, and curves of the frame deficit and nulled frames (the formula of
 * lavaclient's balancer). systemLoad is already a 0..1 share of all cores, as Lavalink reports it.
 */
import type { NodeStats } from '../protocol/messages.js';

const frameCurve = (n: number): number => 1.03 ** ((500 * n) / 3000) * 600 - 600;

export function penaltiesOf({ playingPlayers, cpu, frameStats }: NodeStats): number {
  const cpuPenalty = 1.05 ** (100 * cpu.systemLoad) * 10 - 10;
  const framePenalty = frameStats && frameStats.deficit !== -1 ? frameCurve(frameStats.deficit) + 2 * frameCurve(frameStats.nulled) : 0;
  return playingPlayers + cpuPenalty + framePenalty;
}
