import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's suggested cost (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of nothing anyone knows: checked against when no account has the email, so a wrong email takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/** Whether `password` is the one `stored` was made from; with no stored hash, spends the same time and says no. */
export async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
  const against = stored ?? (await (decoy ??= hashPassword(`decoy-${Math.random()}`)));
  try {
    const ok = await verify(against, password);
    return stored !== undefined && ok;
  } catch {
    return false;
  }
}
