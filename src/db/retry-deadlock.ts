const RETRIES = 5;

/** A MariaDB/MySQL error that running the same work again can fix. */
export function isDeadlock(err: unknown): boolean {
  const code = (err as { parent?: { code?: string } }).parent?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/**
 * Runs `work` again, a few times, after a short random pause, when InnoDB chose it as the
 * victim of a deadlock. Only for work that is safe to repeat: a whole transaction (InnoDB
 * rolled it back) or a single statement outside one.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= RETRIES || !isDeadlock(err)) throw err;
      await new Promise((ok) => setTimeout(ok, Math.random() * 20 * attempt));
    }
  }
}
