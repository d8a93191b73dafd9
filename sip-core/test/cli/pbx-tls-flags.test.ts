import { describe, expect, it } from 'vitest';
import { describePbxTls, PbxTlsFlagError, pbxTlsClientOptions } from '../../src/cli/pbx-tls-flags.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { 'ca.pem': PEM, 'notes.txt': 'hello' };
const read = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error('ENOENT: no such file');
  return text;
};

describe('pbxTlsClientOptions', () => {
  it.each([
    ['no flags: the emulator default (not verified)', {}, undefined],
    ['--verify-pbx-tls: the system CAs', { verifyPbxTls: true }, { rejectUnauthorized: true }],
    ['--pbx-ca: verification with the CA added', { pbxCa: 'ca.pem' }, { rejectUnauthorized: true, ca: PEM }],
    ['both', { verifyPbxTls: true, pbxCa: 'ca.pem' }, { rejectUnauthorized: true, ca: PEM }],
  ])('%s', (_name, flags, expected) => {
    expect(pbxTlsClientOptions(flags, read)).toEqual(expected);
  });

  it.each([
    ['missing.pem', /--pbx-ca missing\.pem: cannot read it \(ENOENT/],
    ['notes.txt', /--pbx-ca notes\.txt: no PEM certificate/],
  ])('%s is refused with a message naming the flag and the file', (pbxCa, message) => {
    expect(() => pbxTlsClientOptions({ pbxCa }, read)).toThrow(PbxTlsFlagError);
    expect(() => pbxTlsClientOptions({ pbxCa }, read)).toThrow(message);
  });

  it('describes each state for the banner', () => {
    expect(describePbxTls(undefined)).toMatch(/not verified/);
    expect(describePbxTls({ rejectUnauthorized: true })).toBe('verified against the system CAs');
    expect(describePbxTls({ rejectUnauthorized: true, ca: PEM })).toMatch(/--pbx-ca/);
  });
});
