/** One error type for every non-2xx answer; the error middleware renders it in the contract's format. */
export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds a client should wait before retrying (sets `Retry-After`). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError(400, 'validation_error', message, details);
  }
  static notFound(message: string): ApiError {
    return new ApiError(404, 'not_found', message);
  }
  static forbidden(message: string): ApiError {
    return new ApiError(403, 'forbidden', message);
  }
  static unavailable(message: string, retryAfter = 1): ApiError {
    return new ApiError(503, 'service_unavailable', message, undefined, retryAfter);
  }
}
