/** Score a newcomer without surveys is ranked at: the middle of the 1–5 scale. */
export const NEUTRAL_SCORE = 3;

export interface PageCandidate {
  id: number;
  score: number | null;
  lastPagedAt: Date | null;
}

/** Paging order: highest score first; ties go to whoever was paged least recently (never first). */
export function comparePageOrder(a: PageCandidate, b: PageCandidate): number {
  const byScore = (b.score ?? NEUTRAL_SCORE) - (a.score ?? NEUTRAL_SCORE);
  if (byScore !== 0) return byScore;
  const pagedA = a.lastPagedAt?.getTime() ?? -Infinity;
  const pagedB = b.lastPagedAt?.getTime() ?? -Infinity;
  if (pagedA !== pagedB) return pagedA - pagedB;
  return a.id - b.id;
}
