/**
 * The four shapes a credential takes in the secrets tests: a JWT, a `Bearer …` header value, a
 * 40-character base64 token and a URL with user:pass. Each row: its name, the value given to the
 * library, and the parts that must never appear in any output (searched in every encoded form).
 */
export const SECRET_SHAPES: [name: string, value: string, parts: string[]][] = [
  [
    'a JWT',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
    ['c2lnbmF0dXJlLXNpZ25hdHVyZQ'],
  ],
  ['a Bearer header', 'Bearer k7QxT2mZ9pL4vB8nR1sW6yH3', ['k7QxT2mZ9pL4vB8nR1sW6yH3']],
  ['a 40-char base64 token', 'k7QxT2mZ9pL4vB8nR1sW6yH3jF5dC0aE+/gUoIqe', ['k7QxT2mZ9pL4vB8nR1sW6yH3']],
  ['a URL with user:pass', 'wss://alice:s3cr3tP4ss@example.com/feed', ['s3cr3tP4ss']],
];
