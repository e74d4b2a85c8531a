import { describe, expect, it } from 'vitest';
import { ApiError } from './client.ts';

describe('ApiError', () => {
  it('names the bad body fields of a validation problem, first message per field', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or invalid', [
      { path: '/body/name', message: 'must NOT have fewer than 1 characters' },
      { path: '/body/name', message: 'must match pattern "\\S"' },
      { path: '/body/roles/0', message: 'must be string' },
      { path: '/query/page', message: 'must be integer' },
    ]);
    expect(error.fieldErrors()).toEqual({
      name: 'must NOT have fewer than 1 characters',
      roles: 'must be string',
    });
  });
});
