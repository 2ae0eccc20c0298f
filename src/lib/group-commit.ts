/**
 * Writes items that arrive while a write is under way together, in the next write: a
 * burst of webhooks becomes a few transactions of many rows instead of one transaction
 * (and one commit to disk) each. A lone item is written at once; nothing waits on a timer.
 *
 * `write` answers for every item of its batch, in order: a settled result, or a promise of
 * one still under way — the next batch starts without waiting for it (what is shared and
 * must go one batch at a time is done; each item finishes on its own). One bad item fails
 * only its own caller; if `write` throws, each item's caller gets the error.
 */
export class GroupCommit<I, O> {
  private waiting: { item: I; ok: (o: O) => void; fail: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: I[]) => Promise<(PromiseSettledResult<O> | Promise<O>)[]>,
    private readonly maxBatch = 100,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((ok, fail) => {
      this.waiting.push({ item, ok, fail });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const outcomes = await this.write(batch.map((b) => b.item));
          batch.forEach((b, i) => {
            const outcome = outcomes[i];
            if (outcome instanceof Promise) outcome.then(b.ok, b.fail);
            else if (outcome?.status === 'fulfilled') b.ok(outcome.value);
            else b.fail(outcome ? outcome.reason : new Error('no outcome written for this item'));
          });
        } catch (err) {
          for (const b of batch) b.fail(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
