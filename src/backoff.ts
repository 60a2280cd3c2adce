/** Exponential backoff with full jitter: a random delay between `min` and the attempt's cap. */
export function backoff(attempt: number, min: number, max: number): number {
  min = Math.max(min, 1);
  const cap = Math.max(min, Math.min(max, min * 2 ** (attempt - 1)));
  return min + Math.random() * (cap - min);
}
