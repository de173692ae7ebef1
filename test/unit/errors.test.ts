import { runInNewContext } from 'node:vm';
import { asMeshError, errorFields, errorMessage, MeshError } from '../../src/util/errors';

class ExampleError extends MeshError {
  constructor() {
    super('USAGE', 'bad flag');
  }
}

test('a MeshError subclass keeps its code, message and its own name', () => {
  const err = new ExampleError();
  expect(err).toBeInstanceOf(Error);
  expect(err.code).toBe('USAGE');
  expect(err.name).toBe('ExampleError');
  expect(err.message).toBe('bad flag');
});

test('errorMessage reads Errors and strings, and never spells out a thrown object', () => {
  expect(errorMessage(new TypeError('boom'))).toBe('boom');
  expect(errorMessage('plain')).toBe('plain');
  expect(errorMessage({ status: 500, token: 'xoxb-secret' })).toBe('[object Object]');
  expect(errorMessage(undefined)).toBe('undefined');
  expect(errorMessage(42)).toBe('42');
});

test('asMeshError keeps MeshErrors and wraps anything else as UNEXPECTED with its cause', () => {
  const own = new ExampleError();
  expect(asMeshError(own)).toBe(own);
  const cause = new RangeError('out of range');
  const wrapped = asMeshError(cause);
  expect(wrapped.code).toBe('UNEXPECTED');
  expect(wrapped.message).toBe('out of range');
  expect(wrapped.cause).toBe(cause);
  expect(errorFields(own)).toEqual({ code: 'USAGE', err: 'bad flag' });
});

test('errorMessage reads the message of an error from another realm', () => {
  const foreign: unknown = runInNewContext('new TypeError("Unknown option \'--bogus\'")');
  expect(foreign instanceof Error).toBe(false);
  expect(errorMessage(foreign)).toBe("Unknown option '--bogus'");
  expect(asMeshError(foreign)).toMatchObject({ code: 'UNEXPECTED', message: "Unknown option '--bogus'" });
});
