import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { type FieldError, RequestValidationError } from './domain-error';

interface SchemaCarrier {
  schema?: z.ZodType;
}

/**
 * Validates `@Body()`, `@Param()` and `@Query()` arguments typed with a `createZodDto` class, and
 * replaces them with the parsed value. Failures become one `RequestValidationError` whose field paths
 * start with where the value came from: `body.mode`, `params.id`, `query.limit`.
 */
@Injectable()
export class ZodValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = (metadata.metatype as SchemaCarrier | undefined)?.schema;
    if (metadata.type === 'custom' || !schema || typeof schema.safeParse !== 'function') return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const source = metadata.type === 'param' ? 'params' : metadata.type;
    throw new RequestValidationError(toFieldErrors(result.error, source));
  }
}

export function toFieldErrors(error: z.ZodError, root: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [root, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${path}.${key}`, message: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
    return [{ path, message: issue.message }];
  });
}
