import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A failure a client can act on. Services throw these; one handler turns them into
 * application/problem+json (RFC 9457). `code` is stable: the UI maps it to translated text.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Headers the answer carries, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface FieldProblem {
  /** JSON pointer into the request, e.g. /body/amountFen */
  path: string;
  message: string;
}

export const notFound = (entity: string, id: string | number): AppError =>
  new AppError('NOT_FOUND', 404, `${entity} ${id} does not exist`, { entity, id: String(id) });

export const conflict = (code: string, message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError(code, 409, message, details);

export const invalid = (code: string, message: string, fields: FieldProblem[] = []): AppError =>
  new AppError(code, 422, message, fields.length ? { errors: fields } : {});

export const forbidden = (message = 'You do not have permission to do this'): AppError =>
  new AppError('FORBIDDEN', 403, message);

export const unauthenticated = (message = 'Sign in first'): AppError => new AppError('UNAUTHENTICATED', 401, message);

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `urn:canteen:problem:${code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      instance: request.url,
      requestId: request.id,
      ...extra,
    });
}

// Fastify's own errors that are the client's fault, by Fastify error code.
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    detail: 'Content-Length does not match the body',
  },
};

function validationProblems(error: FastifyError): FieldProblem[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const missing = v.keyword === 'required' ? `/${String(v.params['missingProperty'])}` : '';
    const extra = v.keyword === 'additionalProperties' ? `/${String(v.params['additionalProperty'])}` : '';
    return { path: `/${context}${v.instancePath}${missing}${extra}`, message: v.message ?? 'is invalid' };
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      reply.headers(error.headers);
      return sendProblem(reply, request, error.status, error.code, error.message, error.details);
    }
    if (error.validation) {
      const errors = validationProblems(error);
      return sendProblem(reply, request, 400, 'VALIDATION_FAILED', 'Some fields are missing or invalid', { errors });
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) return sendProblem(reply, request, known.status, known.code, known.detail);
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return sendProblem(reply, request, 400, 'MALFORMED_JSON', 'The body is not valid JSON');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, error.statusCode, 'BAD_REQUEST', error.message);
    }
    // Never echo a server error's text: it can carry SQL, paths or personal data.
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, 500, 'INTERNAL', 'Something went wrong on the server; it has been logged');
  });
}
