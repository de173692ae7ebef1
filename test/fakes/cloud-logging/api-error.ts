/** HTTP statuses the fake answers with, and the `google.rpc.Code` names Google puts beside them. */
export const RPC_STATUS = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
} as const;

export type ErrorStatus = keyof typeof RPC_STATUS;

/** A request the fake refuses, answered with Google's error JSON. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly httpStatus: ErrorStatus,
    message: string,
  ) {
    super(message);
  }
}

/** Google's JSON error body: `{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED"}}`. */
export function errorBody(httpStatus: ErrorStatus, message: string): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { code: httpStatus, message, status: RPC_STATUS[httpStatus] };
  if (httpStatus === 429) {
    error.details = [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: { service: 'logging.googleapis.com', quota_metric: 'logging.googleapis.com/read_requests' },
      },
    ];
  }
  return { error };
}

/** The messages the real service gives for injected faults. */
export const FAULT_MESSAGES: Record<429 | 500 | 503 | 400, string> = {
  429:
    "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service " +
    "'logging.googleapis.com' for consumer 'project_number:000000000000'.",
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
  400: 'Request contains an invalid argument.',
};
