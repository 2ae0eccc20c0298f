import { describe, expect, it } from 'vitest';
import { comparePageOrder, NEUTRAL_SCORE, type PageCandidate } from '../../src/domain/dispatch/rules.ts';

const at = (iso: string) => new Date(iso);
const order = (candidates: PageCandidate[]) => [...candidates].sort(comparePageOrder).map((c) => c.id);

describe('paging order', () => {
  it('pages the highest score first', () => {
    expect(order([
      { id: 1, score: 3.2, lastPagedAt: null },
      { id: 2, score: 4.9, lastPagedAt: at('2024-05-01T10:00:00Z') },
      { id: 3, score: 1.5, lastPagedAt: null },
    ])).toEqual([2, 1, 3]);
  });

  it('ranks an expert without surveys at the neutral score, between good and poor ones', () => {
    expect(NEUTRAL_SCORE).toBe(3);
    expect(order([
      { id: 1, score: 2.9, lastPagedAt: null },
      { id: 2, score: null, lastPagedAt: at('2024-05-01T10:00:00Z') },
      { id: 3, score: 3.1, lastPagedAt: at('2024-05-01T10:00:00Z') },
    ])).toEqual([3, 2, 1]);
  });

  it('among equal scores pages whoever was paged least recently, whatever order they come in', () => {
    const earlier = { id: 9, score: 4, lastPagedAt: at('2024-05-01T08:00:00Z') };
    const later = { id: 2, score: 4, lastPagedAt: at('2024-05-01T09:00:00Z') };
    const latest = { id: 5, score: 4, lastPagedAt: at('2024-05-01T09:30:00Z') };
    expect(order([later, latest, earlier])).toEqual([9, 2, 5]);
    expect(order([latest, earlier, later])).toEqual([9, 2, 5]);
  });

  it('among equal scores pages someone never paged before anyone paged already', () => {
    const paged = { id: 1, score: 4, lastPagedAt: at('2000-01-01T00:00:00Z') };
    const never = { id: 7, score: 4, lastPagedAt: null };
    expect(order([paged, never])).toEqual([7, 1]);
    expect(order([never, paged])).toEqual([7, 1]);
    // An unscored newcomer never paged, and a scored expert at the neutral score paged once.
    expect(order([{ id: 1, score: NEUTRAL_SCORE, lastPagedAt: at('2024-01-01T00:00:00Z') }, { id: 8, score: null, lastPagedAt: null }])).toEqual([8, 1]);
  });

  it('breaks a complete tie by id, so the order is stable', () => {
    const when = at('2024-05-01T08:00:00Z');
    expect(order([{ id: 3, score: 4, lastPagedAt: when }, { id: 1, score: 4, lastPagedAt: new Date(when) }])).toEqual([1, 3]);
    expect(order([{ id: 4, score: null, lastPagedAt: null }, { id: 2, score: null, lastPagedAt: null }])).toEqual([2, 4]);
  });
});
