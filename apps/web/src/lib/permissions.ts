import type { Role } from '@/components/org-context';

/** The lowest role the control plane requires per action (ORG_PERMISSIONS there); used to hide controls. */
export const NEEDS = {
  environmentsWrite: 'ADMIN',
  tokensRead: 'EDITOR',
  tokensWrite: 'ADMIN',
  membersWrite: 'ADMIN',
  orgWrite: 'ADMIN',
  repositoriesWrite: 'ADMIN',
  auditRead: 'ADMIN',
  hooksWrite: 'ADMIN',
} as const satisfies Record<string, Role>;
