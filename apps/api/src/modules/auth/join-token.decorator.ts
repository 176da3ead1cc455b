import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiUnauthorizedResponse } from '@nestjs/swagger';

interface RequestWithToken {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
}

/** The raw join token of a request: `Authorization: Bearer <token>`, else `?token=`. Verified by `JoinTokenService`. */
export const JoinToken = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined =>
  extractJoinToken(context.switchToHttp().getRequest<RequestWithToken>()),
);

export function extractJoinToken(request: RequestWithToken): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const bearer = value ? /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1] : undefined;
  if (bearer) return bearer;
  const query = request.query?.token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/** OpenAPI for an endpoint (or a controller's endpoints) taking a join token, either way `JoinToken` reads it. */
export const JoinTokenAuth = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiQuery({ name: 'token', required: false, description: 'The join token, when an Authorization header cannot be sent' }),
    ApiUnauthorizedResponse({ description: 'Join token missing, forged or expired' }),
  );
