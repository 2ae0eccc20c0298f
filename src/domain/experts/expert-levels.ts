/** How an applicant rates themselves in a category, lowest first. Stable: stored on expert_skills.level. */
export const EXPERT_LEVELS = ['working', 'experienced', 'expert'] as const;
export type ExpertLevel = (typeof EXPERT_LEVELS)[number];

/** The words shown for each level, to applicants and managers. */
export const EXPERT_LEVEL_NAMES: Record<ExpertLevel, string> = {
  working: 'Working knowledge',
  experienced: 'Experienced',
  expert: 'Expert',
};

export const levelName = (level: string | null | undefined): string => (level && level in EXPERT_LEVEL_NAMES ? EXPERT_LEVEL_NAMES[level as ExpertLevel] : 'level not given');
