import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendJson } from '../dialect.js';
import { orderedJson } from '../json-input.js';
import { type InvalidFields, validationMessage } from './pydantic.js';

/** Sends Gcore's error body: `exception_class`, `message`, `request_id`, then `invalid_fields` if any. */
export function gcoreError(request: FastifyRequest, reply: FastifyReply, status: number, exceptionClass: string, message: string, invalid?: InvalidFields) {
  const entries: Array<[string, unknown]> = [
    ['exception_class', exceptionClass],
    ['message', message],
    ['request_id', request.id],
  ];
  let body = orderedJson(entries);
  if (invalid) body = `${body.slice(0, -1)},"invalid_fields":${orderedJson(invalid)}}`;
  return sendJson(reply, status, body);
}

/** Gcore's 400 for validation problems. */
export function validationError(request: FastifyRequest, reply: FastifyReply, invalid: InvalidFields) {
  return gcoreError(request, reply, 400, 'ValidationError', validationMessage(invalid), invalid);
}
