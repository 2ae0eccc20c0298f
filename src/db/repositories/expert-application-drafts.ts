import type { Attributes } from 'sequelize';
import type { ExpertApplicationDraft } from '../models/expert-application-draft.ts';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertApplicationDraftRow = Attributes<ExpertApplicationDraft>;

type Write = InTransaction & { now: Date };

/** Expert applications being written in the portal's wizard, found by the hash of the browser's cookie or of a resume link's token. */
export function expertApplicationDraftsRepository(sql: Sql, { ExpertApplicationDraft }: Pick<Models, 'ExpertApplicationDraft'>) {
  return {
    /** The live draft this browser's cookie id hashes to. */
    byBrowserHash(browserHash: string, now: Date, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<ExpertApplicationDraftRow | undefined> {
      return sql.selectOne(ExpertApplicationDraft, 'browser_hash = ? AND expires_at > ?', [browserHash, now], opts);
    },

    /** The live draft a resume link's token hashes to. */
    byResumeTokenHash(tokenHash: string, now: Date, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<ExpertApplicationDraftRow | undefined> {
      return sql.selectOne(ExpertApplicationDraft, 'resume_token_hash = ? AND expires_at > ?', [tokenHash, now], opts);
    },

    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<ExpertApplicationDraftRow | undefined> {
      return sql.selectOne(ExpertApplicationDraft, 'id = ?', [id], opts);
    },

    /** A new draft; its id. */
    async add(row: { browserHash: string; step: string; answers: string; email: string | null; expiresAt: Date }, opts: Write): Promise<number> {
      const [id] = await sql.insert(ExpertApplicationDraft, [row], opts);
      return id!;
    },

    /** Changes a draft; false when it is gone (submitted or expired and forgotten meanwhile). */
    async update(id: number, changes: Partial<Pick<ExpertApplicationDraftRow, 'browserHash' | 'step' | 'answers' | 'email' | 'verifiedEmail' | 'resumeSalt' | 'resumeTokenHash' | 'expiresAt'>>, opts: Write): Promise<boolean> {
      return (await sql.update(ExpertApplicationDraft, changes, 'id = ?', [id], opts)) === 1;
    },

    async delete(id: number, opts: InTransaction = {}): Promise<void> {
      await sql.execute('DELETE FROM expert_application_drafts WHERE id = ?', [id], opts);
    },

    /** Forgets drafts past their end; how many. */
    async deleteExpired(now: Date, opts: InTransaction = {}): Promise<number> {
      return sql.execute('DELETE FROM expert_application_drafts WHERE expires_at <= ?', [now], opts);
    },
  };
}

export type ExpertApplicationDraftsRepository = ReturnType<typeof expertApplicationDraftsRepository>;
