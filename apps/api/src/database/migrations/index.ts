import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { CollabUpdateLog1764000000000 } from './1764000000000-collab-update-log';
import { ScoreSamplesBySeq1764100000000 } from './1764100000000-score-samples-by-seq';
import { Interviewer1764200000000 } from './1764200000000-interviewer';

/** Every migration, oldest first. Imported as classes (not globbed) so the compiled app finds them from any cwd. */
export const MIGRATIONS = [InitialSchema1763900000000, CollabUpdateLog1764000000000, ScoreSamplesBySeq1764100000000, Interviewer1764200000000];
