import { App, Stack } from 'aws-cdk-lib';
import { CallerId, ClaimedNumber, ClaimedNumbers, PhoneNumberType, TransferDestination, TransferToPhoneNumberFlow } from '../lib';
import { INSTANCE_ARN, warningsOf } from './support/stacks';

/** `count` claimed Japanese DIDs, +81368001000 upwards. */
const claims = (count: number): ClaimedNumber[] => Array.from({ length: count }, (_, i) => ({
  number: `+8136800${1000 + i}`, type: PhoneNumberType.DID, countryCode: 'JP',
}));

/** The CALLER_ID_DYNAMIC warning of a transfer whose caller ID is an attribute, guarded by the given numbers. */
function dynamicWarning(numbers: ClaimedNumber[], allowed?: string[]): string {
  const stack = new Stack(new App(), 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers, deployTimeCheck: false });
  new TransferToPhoneNumberFlow(stack, 'Transfer', {
    claimedNumbers: claimed, name: 'Transfer', destination: TransferDestination.fromNumber('+81368009999'),
    callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber(numbers[0].number),
    ...(allowed ? { allowedCallerIds: allowed.map((n) => CallerId.fromNumber(n)) } : {}),
  });
  const dynamic = warningsOf(stack).filter((w) => w.message.includes('CALLER_ID_DYNAMIC'));
  expect(dynamic).toHaveLength(1);
  return dynamic[0].message;
}

describe('the CALLER_ID_DYNAMIC warning names what the generated guard lets through', () => {
  test('GIVEN five claimed numbers THEN it lists all five, in order', () => {
    expect(dynamicWarning(claims(5))).toContain(
      'The generated Compare lets through only the claimed numbers (+81368001000, +81368001001, +81368001002, +81368001003, +81368001004, ' +
      'and any number claimed in this app after this construct) ' +
      'and sends any other value to fallbackCallerId +81368001000');
  });

  test('GIVEN six claimed numbers THEN it lists the first three and the count, so a large inventory does not flood the report', () => {
    const message = dynamicWarning(claims(6));
    expect(message).toContain('lets through only the claimed numbers (+81368001000, +81368001001, +81368001002, ... (6 in all), and any number claimed in this app after this construct) and sends');
    expect(message).not.toContain('+81368001003');
  });

  test('GIVEN allowedCallerIds THEN it says the guard is that list, not the inventory', () => {
    expect(dynamicWarning(claims(6), ['+81368001004', '+81368001005']))
      .toContain('lets through only allowedCallerIds (+81368001004, +81368001005) and sends any other value to fallbackCallerId +81368001000');
  });
});
