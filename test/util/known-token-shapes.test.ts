/**
 * Tokens recognisable by their shape alone, in free text (scrubCredentials), beside the ones
 * already covered (GitHub, GitLab, Slack's xox…, Stripe, AWS key ids, Google, npm): round 41 adds
 * OpenAI / Anthropic `sk-…`, Slack app tokens `xapp-…`, Hugging Face `hf_…`, SendGrid `SG.….…`,
 * Shopify `shpat_…`, Stripe webhook secrets `whsec_…`, PyPI `pypi-AgEIcHlwaS5vcmc…`, a Telegram
 * bot token `<id>:AA…` and an AWS secret access key written after its key id.
 */
import { describe, expect, it } from 'vitest';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const SHAPES: [what: string, token: string][] = [
  ['OpenAI project key', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD'],
  ['Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'],
  ['Slack app token', 'xapp-1-A0123456789-0123456789012-abcdef0123456789'],
  ['Hugging Face token', 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH'],
  ['SendGrid key', 'SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'],
  ['Shopify token', 'shpat_0123456789abcdef0123456789abcdef'],
  ['Stripe webhook secret', 'whsec_abcdefghijklmnopqrstuvwxyz012345'],
  ['PyPI token', 'pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMAAC'],
  ['Telegram bot token', '123456789:AAH-abcdefghijklmnopqrstuvwxyz12345'],
];

describe('a known token shape in free text is redacted', () => {
  for (const [what, token] of SHAPES)
    it(what, () => {
      const out = scrubCredentials(`the service refused ${token} (401)`);
      expect(out).toBe('the service refused [redacted] (401)');
    });

  it('an AWS secret access key after its key id (the pair as a CLI or an SDK prints it)', () => {
    for (const separator of [' ', ':', ', ', ' / '])
      expect(
        scrubCredentials(`AKIAIOSFODNN7EXAMPLE${separator}wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY used`),
      ).toBe(`[redacted]${separator}[redacted] used`);
  });

  it('a Telegram bot token after the word token (the scheme Token takes its id)', () => {
    expect(scrubCredentials('bot token 123456789:AAH-abcdefghijklmnopqrstuvwxyz12345 bad')).not.toContain(
      'abcdefghijklmnop',
    );
  });

  it('words of the same family stay: sk-learn, task-, a short hf_, a hyphenated name', () => {
    for (const text of ['pip install sk-learn', 'task-1234567890abcdefghij', 'hf_hub', 'xapp-less'])
      expect(scrubCredentials(text)).toBe(text);
  });
});
