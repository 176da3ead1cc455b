import type { ValueTransformer } from 'typeorm';

/** `pg` returns int8 as a string; sequence numbers stay far below 2^53, so a number is safe and handier. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
