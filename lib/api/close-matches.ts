/** A thing to suggest, under every name it answers to. */
export interface Candidate {
  readonly label: string;
  readonly names: readonly string[];
}

/**
 * The labels of candidates with a name close to `query` (case-insensitive edit distance, or one
 * name containing the other), best first: the "did you mean" of error messages.
 */
export function closeMatches(query: string, candidates: readonly Candidate[], limit = 3): string[] {
  const q = query.toLowerCase();
  const allowed = Math.max(2, Math.floor(q.length / 3));
  const scored: { label: string; score: number }[] = [];
  for (const candidate of candidates) {
    let best = Infinity;
    for (const name of candidate.names) {
      const n = name.toLowerCase();
      const contains = q.length >= 3 && (n.includes(q) || q.includes(n));
      best = Math.min(best, contains ? 1 : editDistance(q, n));
    }
    if (best <= allowed) scored.push({ label: candidate.label, score: best });
  }
  scored.sort((a, b) => a.score - b.score || a.label.localeCompare(b.label));
  return [...new Set(scored.map((s) => s.label))].slice(0, limit);
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
