import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

/** Every migration, oldest first. Imported as classes (not globbed) so the compiled app finds them from any cwd. */
export const MIGRATIONS = [InitialSchema1763900000000];
