export { grade, gradeSummary, scoreChecks, STAGES } from './grader';
export { statusOf } from './check-result';
export { MOVE_SUMMARIES, pointsLost } from './weak-moves';
export { GradeInputError, type GradeErrorCode } from './grader.errors';
export * from './grade.types';
export { SCHEMA_RULES, type SchemaRule } from './rules';
export { JUSTIFICATION_MARKERS } from './justification';
export { nameKey, nameTokens, singular, tokenSimilarity } from './name-normalizer';
