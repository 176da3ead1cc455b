import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('embedded'), path: z.string() }),
    z.object({ kind: z.literal('postgres'), host: z.string(), database: z.string() }),
  ]),
  version: z.string(),
  uptimeSeconds: z.number(),
});

export class HealthDto extends createZodDto(healthSchema) {}
export type Health = z.infer<typeof healthSchema>;
