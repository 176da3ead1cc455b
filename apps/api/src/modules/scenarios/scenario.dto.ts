import { difficulties, productQuestionCategories, scenarioFormats, stages } from '@hatch/scenarios';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const scenarioSummarySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  formats: z.array(z.enum(scenarioFormats)),
  difficulty: z.enum(difficulties),
  totalMinutes: z.number().int(),
});

export const publicScenarioSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  prompt: z.string(),
  formats: z.array(z.enum(scenarioFormats)),
  difficulty: z.enum(difficulties),
  timePerStage: z.record(z.enum(stages), z.number().int()),
  productQuestions: z.array(z.object({ id: z.string(), category: z.enum(productQuestionCategories), question: z.string() })),
});

export class ScenarioSummaryDto extends createZodDto(scenarioSummarySchema) {}
export class PublicScenarioDto extends createZodDto(publicScenarioSchema) {}
