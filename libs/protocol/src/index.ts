export * from './roles';
export * from './collab-protocol';
export * from './session-events';
