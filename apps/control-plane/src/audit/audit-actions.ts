/**
 * Every action the audit trail records: a closed list, so each kind of change has exactly one
 * name (filters and the console match on it) and a new kind of change needs a new entry here.
 * Names are `<target>.<verb>` or `<target>.<part>.<verb>`; stored events keep the name they were
 * written with.
 */
export const AUDIT_ACTIONS = [
  'org.create',
  'org.rename',
  'org.delete',
  'member.invite',
  'member.role_change',
  'member.remove',
  'member.leave',
  'member.sso_provision',
  'member.sso_role_change',
  'member.sso_remove',
  'identity.create',
  'identity.link',
  'session.create',
  'session.delete',
  'pat.create',
  'pat.revoke',
  'client_token.create',
  'client_token.revoke',
  'sso_connection.create',
  'sso_connection.update',
  'sso_connection.delete',
  'repository.create',
  'repository.delete',
  'domain.create',
  'domain.verify',
  'domain.delete',
  'environment.create',
  'environment.update',
  'environment.delete',
  'environment.revert',
  'environment.promote',
  'namespace.create',
  'namespace.update',
  'namespace.delete',
  'flag.put',
  'flag.delete',
  'flag.rules.set',
  'flag.rollouts.set',
  'flag.restore',
  'flag.archive',
  'segment.put',
  'segment.delete',
  'proposal.create',
  'proposal.merge',
  'proposal.request_changes',
  'git.push',
] as const;

/** One audit action name. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
