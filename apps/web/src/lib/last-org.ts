/** Cookie remembering the organisation opened last, so `/` can return to it. */
export const LAST_ORG_COOKIE = 'sy_last_org';
