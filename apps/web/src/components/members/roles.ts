export const ROLES = ['VIEWER', 'EDITOR', 'ADMIN', 'OWNER'] as const;

/** What each role may do (the control plane's ORG_PERMISSIONS, in words). */
export const ROLE_HELP: Record<(typeof ROLES)[number], string> = {
  VIEWER: 'Viewer: sees environments, flags and members; changes nothing.',
  EDITOR: 'Editor: edits flags, approves and merges proposals; sees client tokens.',
  ADMIN:
    'Admin: also manages environments, tokens, members, repositories, SSO and reads the audit log.',
  OWNER: 'Owner: everything, including deleting the organisation and managing owners.',
};
