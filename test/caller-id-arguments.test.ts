import { CallerId, TransferDestination } from '../lib';

// JavaScript callers (and other jsii languages) can pass anything the TypeScript types forbid: the factory, not a
// construct deep inside synth, says what was wrong and what it accepts.
describe('caller ID and destination factories given a value that is not a string', () => {
  const bad: unknown[] = [undefined, null, 81368001234, ''];

  test.each(bad)('CallerId.fromNumber(%p) names the factory, the value and what it accepts', (value) => {
    expect(() => CallerId.fromNumber(value as string)).toThrow(/^CallerId\.fromNumber: expected an E\.164 number such as '\+81368001234', got /);
  });

  test.each(bad)('CallerId.fromAttribute(%p) and TransferDestination.fromAttribute(%p) are refused', (value) => {
    expect(() => CallerId.fromAttribute(value as string)).toThrow(/^CallerId\.fromAttribute: expected a contact attribute name/);
    expect(() => TransferDestination.fromAttribute(value as string)).toThrow(/^TransferDestination\.fromAttribute: expected a contact attribute name/);
  });

  test('the refusal says what it got', () => {
    expect(() => CallerId.fromPath(undefined as unknown as string)).toThrow(/got undefined$/);
    expect(() => CallerId.fromExternal(7 as unknown as string)).toThrow(/got number 7$/);
    expect(() => TransferDestination.fromNumber(null as unknown as string)).toThrow(/got object null$/);
    expect(() => CallerId.fromApprovedExternalNumber(undefined as unknown as string, { approvalReference: 'case 1' })).toThrow(/got undefined$/);
  });

  test('strings pass unchanged', () => {
    expect(CallerId.fromNumber('+81368001234').value).toBe('+81368001234');
    expect(CallerId.fromAttribute('callerId').value).toBe('$.Attributes.callerId');
    expect(TransferDestination.fromNumber('+81368009999').value).toBe('+81368009999');
  });
});
