import type { DatabaseAccess } from '../../db/database.ts';
import { firstTiers } from '../../domain/experts/decide-application.ts';
import type { ApplicationView } from '../blocks/expert-application.ts';

/** An application as the managers' message shows it, from the current state; undefined when it is gone. */
export async function loadExpertApplication(db: DatabaseAccess, applicationId: number): Promise<ApplicationView | undefined> {
  const application = await db.expertApplications.byId(applicationId);
  if (!application) return undefined;
  const expert = await db.experts.byId(application.expertId);
  const [categories, tiers, skills, groupIds] = await Promise.all([db.routing.categories(), db.routing.tiers(), db.expertApplications.skillsOf(application.expertId), db.expertApplications.groupIdsOf(application.expertId)]);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const approved = new Set(skills.filter((s) => s.status === 'approved').map((s) => s.categoryId));
  const applied = (JSON.parse(application.categories) as { categoryId: number; level: string }[]).filter((c) => byId.has(c.categoryId));
  const offered = tiers.filter((t) => applied.some((c) => c.categoryId === t.categoryId));
  const first = new Set(firstTiers(offered).map((t) => t.group.id));
  const groups = [...new Map(offered.map((t) => [t.group.id, { key: t.group.key, name: t.group.name, preselected: first.has(t.group.id) }])).values()];
  const memberOf = tiers.map((t) => t.group).filter((g, i, all) => groupIds.includes(g.id) && all.findIndex((o) => o.id === g.id) === i).map((g) => g.name);
  return {
    applicationId: application.id,
    expertName: expert?.name ?? 'An applicant',
    slackUserId: expert?.slackUserId ?? null,
    email: expert?.email ?? null,
    phone: expert?.phone ?? null,
    yearsExperience: application.yearsExperience,
    summary: application.summary,
    referees: JSON.parse(application.referees) as { name: string; contact: string }[],
    employment: application.employment ? (JSON.parse(application.employment) as ApplicationView['employment']) : [],
    categories: applied.map((c) => ({ key: byId.get(c.categoryId)!.key, name: byId.get(c.categoryId)!.name, level: c.level, approved: approved.has(c.categoryId) })),
    groups,
    status: application.status,
    decidedBy: application.decidedBy ?? null,
    rejectReason: application.rejectReason ?? null,
    memberOf,
  };
}
