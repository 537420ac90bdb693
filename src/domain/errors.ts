/**
 * Typed errors raised by domain rules and services. Each adapter maps them once:
 * HTTP to a status and body, Slack to a private, human reply.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule; `issues` name each bad field by its path. */
export class ValidationError extends DomainError {
  constructor(
    readonly issues: Array<{ path: string; message: string }>,
    message = "Some fields are invalid",
  ) {
    super("validation_failed", message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super("conflict", message);
  }
}
