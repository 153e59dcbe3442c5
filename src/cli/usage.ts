import { AppError } from '../domain/errors.js';

/** The CLI's exit status for a usage mistake (commander's own, or a UsageError); 1 is any other error. */
export const EXIT_USAGE = 2;

/** A command given wrongly (an option missing for the mode it runs in, two that exclude each other): exit 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'UsageError';
  }
}
