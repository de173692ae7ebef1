/** Kubernetes `Status` bodies, as the API server sends them with every error. */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  retryAfterSeconds?: number;
  causes?: { reason?: string; message?: string; field?: string }[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** The reason the API server gives for each status code. */
const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonFor(code: number): string {
  return REASONS[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}

export function statusBody(code: number, message: string, details?: StatusDetails, reason?: string): Status {
  const body: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reason ?? reasonFor(code),
    code,
  };
  if (details) body.details = details;
  return body;
}

/** An error that the server answers with a Status body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: number,
    message: string,
    readonly details?: StatusDetails,
    readonly reason?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): Status {
    return statusBody(this.code, this.message, this.details, this.reason);
  }
}

/** `pods "x"` / `deployments.apps "x"`: how the API server names a resource in messages. */
export function qualified(plural: string, group: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export function notFound(plural: string, group: string, name: string): HttpError {
  const details: StatusDetails = group === '' ? { name, kind: plural } : { name, group, kind: plural };
  return new HttpError(404, `${qualified(plural, group)} "${name}" not found`, details);
}

/** The answer to a path the server has no handler for (an absent CRD, an unknown resource). */
export function noSuchResource(): HttpError {
  return new HttpError(404, 'the server could not find the requested resource', {});
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

export function conflict(plural: string, group: string, name: string): HttpError {
  const details: StatusDetails = group === '' ? { name, kind: plural } : { name, group, kind: plural };
  return new HttpError(
    409,
    `Operation cannot be fulfilled on ${qualified(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details,
  );
}

export function alreadyExists(plural: string, group: string, name: string): HttpError {
  const details: StatusDetails = group === '' ? { name, kind: plural } : { name, group, kind: plural };
  return new HttpError(409, `${qualified(plural, group)} "${name}" already exists`, details, 'AlreadyExists');
}

export function invalid(kind: string, group: string, name: string, field: string, message: string): HttpError {
  const details: StatusDetails = {
    name,
    kind,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  };
  if (group !== '') details.group = group;
  return new HttpError(422, `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${field}: ${message}`, details);
}

export const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
