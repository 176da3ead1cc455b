export const roles = ['candidate', 'interviewer', 'observer', 'reviewer'] as const;
export type Role = (typeof roles)[number];

/** Roles whose document updates the server applies and relays; the others are read-only. */
export const writerRoles: readonly Role[] = ['candidate', 'interviewer'];

export const canWrite = (role: Role): boolean => writerRoles.includes(role);
