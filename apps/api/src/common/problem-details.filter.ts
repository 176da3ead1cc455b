import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError } from './domain-error';
import { HTTP_PROBLEMS, PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType } from './problem-details';

interface HttpRequest {
  method: string;
  originalUrl?: string;
  url: string;
}

interface HttpResponse {
  headersSent: boolean;
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
  destroy?(): void;
}

/**
 * Every HTTP error leaves as RFC 9457 problem details: domain errors by their code, Nest's own HTTP
 * exceptions (unknown route) by their status, anything else as a 500 whose detail says nothing about
 * the cause (it goes to the log with its stack instead).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception; // realtime gateways map error codes themselves
    const request = host.switchToHttp().getRequest<HttpRequest>();
    const response = host.switchToHttp().getResponse<HttpResponse>();
    // The path only: a query string may carry a join token.
    const instance = (request.originalUrl ?? request.url).split('?')[0];
    const problem = toProblem(exception, request.method, instance);
    if (problem.status >= 500) {
      this.logger.error(
        `${request.method} ${instance} failed: ${exception instanceof Error ? exception.message : String(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (response.headersSent) {
      response.destroy?.();
      return;
    }
    response.status(problem.status);
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    if (problem.status === HttpStatus.UNAUTHORIZED) {
      response.setHeader('WWW-Authenticate', `Bearer realm="hatch", error="invalid_token"`);
    }
    response.end(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown, method: string, instance: string): ProblemDetails {
  if (exception instanceof DomainError) {
    const { status, title } = HTTP_PROBLEMS[exception.code];
    const problem: ProblemDetails = {
      type: problemType(exception.code),
      title,
      status,
      detail: status >= 500 && exception.code !== 'DATABASE_UNAVAILABLE' ? 'An unexpected error occurred.' : exception.message,
      instance,
      code: exception.code,
    };
    if (exception.errors.length > 0) problem.errors = exception.errors;
    return problem;
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) {
      return {
        type: problemType('ROUTE_NOT_FOUND'),
        title: HTTP_PROBLEMS.ROUTE_NOT_FOUND.title,
        status,
        detail: `There is no ${method} ${instance}.`,
        instance,
        code: 'ROUTE_NOT_FOUND',
      };
    }
    return { type: 'about:blank', title: httpTitle(status), status, detail: exception.message, instance, code: 'HTTP_ERROR' };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred.',
    instance,
    code: 'INTERNAL_ERROR',
  };
}

function httpTitle(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.toLowerCase().replace(/(^|_)(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) : 'Error';
}
