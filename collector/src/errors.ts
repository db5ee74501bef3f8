// The one error catalog: every error the API answers has a code, an HTTP status and a message, and
// every answer is `{"status":"error","error":<code>,"message":<text>}`. README.md's error table lists
// the same codes; collector/test/error-catalog-matches-readme.test.ts keeps the two in step.
import type { FastifyReply } from 'fastify';

interface ErrorDefinition {
  readonly status: number;
  /** The default words; a route may say more precisely what is wrong. */
  readonly message: string;
}

export const ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  BAD_JSON: { status: 400, message: 'The body is not valid JSON.' },
  VALIDATION_ERROR: { status: 400, message: 'The request is not valid.' },
  BAD_CHARSET: { status: 400, message: 'The charset is not supported.' },
  UNAUTHORIZED: { status: 401, message: 'Log in with your email and password, or send the admin token: Authorization: Bearer <ADMIN_TOKEN>.' },
  AUTH_ERROR: { status: 401, message: 'The project key is wrong.' },
  LOGIN_FAILED: { status: 401, message: 'The email or the password is wrong.' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  PROJECT_NOT_FOUND: { status: 404, message: 'There is no such project.' },
  FORM_NOT_FOUND: { status: 404, message: 'There is no such form in this project.' },
  LEAD_NOT_FOUND: { status: 404, message: 'There is no such lead in this project.' },
  NO_INTEGRATION: { status: 404, message: 'The project has no CRM integration yet.' },
  TEST_LEAD: { status: 409, message: 'A test lead is never sent to the CRM; send a lead without test mode instead.' },
  USER_NOT_FOUND: { status: 404, message: 'There is no such user.' },
  USER_EXISTS: { status: 409, message: 'A user with this email exists already.' },
  LAST_OWNER: { status: 409, message: 'This is the last owner: add another owner first.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than 64 KiB.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  QUOTA_EXCEEDED: { status: 429, message: "The project's daily quota is used up; try again after 00:00 UTC." },
  INTERNAL: { status: 500, message: 'Internal error.' },
  CRM_ERROR: { status: 502, message: 'The CRM did not accept the lead.' },
  ADMIN_UI_NOT_BUILT: { status: 503, message: 'The admin UI is not built: run "npm run build" first.' },
  STORAGE_UNAVAILABLE: { status: 503, message: 'The database cannot be written (a full disk, or a read-only file system?); the collector log says why.' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  status: 'error';
  error: ErrorCode;
  message: string;
}

export function errorBody(code: ErrorCode, message: string = ERRORS[code].message): ErrorBody {
  return { status: 'error', error: code, message };
}

/** An error a route throws; the app's error handler answers it with its catalog status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERRORS[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERRORS[code].status;
  }
}

/** Answers an error at once, where nothing is thrown (not-found handlers, a file not built). */
export function sendError(reply: FastifyReply, code: ErrorCode, message?: string): FastifyReply {
  return reply.code(ERRORS[code].status).send(errorBody(code, message));
}
