import { ConnectArnKind, instanceArnProblem, instanceIdOf, isPhoneNumberArn, parseConnectArn, toPhoneNumberArn } from '../lib/core/connect-arn';
import { instanceCountry } from '../lib/core/instance-country';
import { Inventory, PhoneNumberType } from '../lib/core/inventory';
import { describeInvalidTarget, parseLookupTarget } from '../lib/lookup/target';

const INSTANCE_ID = '4f1c2b7e-9d3a-4c6b-8e2f-1a0b9c8d7e6f';
const NUMBER_ID = '5e1f0000-0000-4000-8000-000000000001';
const INSTANCE = `arn:aws:connect:ap-northeast-1:123456789012:instance/${INSTANCE_ID}`;
const PHONE_NUMBER = `arn:aws:connect:ap-northeast-1:123456789012:phone-number/${NUMBER_ID}`;
const INSTANCE_FORM = `${INSTANCE}/phone-number/${NUMBER_ID}`;

describe('phone-number ARNs in both forms, parsed where every Connect ARN is', () => {
  test('the phone-number/<id> form ListPhoneNumbersV2 returns and queues take', () => {
    expect(parseConnectArn(PHONE_NUMBER)).toMatchObject({ kind: ConnectArnKind.PHONE_NUMBER, id: NUMBER_ID, phoneNumberId: NUMBER_ID, region: 'ap-northeast-1' });
    expect(isPhoneNumberArn(PHONE_NUMBER)).toBe(true);
    expect(toPhoneNumberArn(PHONE_NUMBER)).toBeUndefined();
  });

  test('the instance/<id>/phone-number/<id> form of the older ListPhoneNumbers is inside its instance, and converts to the form queues take', () => {
    expect(parseConnectArn(INSTANCE_FORM)).toMatchObject({
      kind: ConnectArnKind.INSTANCE_PHONE_NUMBER, id: INSTANCE_ID, instanceArn: INSTANCE, path: `phone-number/${NUMBER_ID}`, phoneNumberId: NUMBER_ID,
    });
    expect(isPhoneNumberArn(INSTANCE_FORM)).toBe(false);
    expect(toPhoneNumberArn(INSTANCE_FORM)).toBe(PHONE_NUMBER);
    expect(toPhoneNumberArn(INSTANCE_FORM.replace('arn:aws:', 'arn:aws-us-gov:'))).toBe(PHONE_NUMBER.replace('arn:aws:', 'arn:aws-us-gov:'));
    expect(instanceIdOf(INSTANCE_FORM)).toBe(INSTANCE_ID);
    expect(instanceArnProblem('instanceArn', INSTANCE_FORM)).toBe(`instanceArn ${INSTANCE_FORM} is the ARN of something inside an instance; give the instance ARN ${INSTANCE}`);
  });

  test.each([
    ['a phone-number id with a character ids do not have', `${INSTANCE}/phone-number/${NUMBER_ID}_x`],
    ['more after the phone-number id', `${INSTANCE_FORM}/x`],
    ['a queue, not a number', `${INSTANCE}/queue/${NUMBER_ID}`],
  ])('%s is not a phone-number ARN of either form', (_what, arn) => {
    expect(isPhoneNumberArn(arn)).toBe(false);
    expect(toPhoneNumberArn(arn)).toBeUndefined();
  });
});

describe('lookup targets and instance Regions, from the same parser', () => {
  test('instances and traffic distribution groups are targets; anything else is refused with a hint', () => {
    expect(parseLookupTarget(INSTANCE)).toEqual({ arn: INSTANCE, partition: 'aws', region: 'ap-northeast-1', account: '123456789012', kind: 'instance', id: INSTANCE_ID });
    const group = 'arn:aws-cn:connect:cn-north-1:123456789012:traffic-distribution-group/tdg-1';
    expect(parseLookupTarget(group)).toMatchObject({ partition: 'aws-cn', region: 'cn-north-1', kind: 'traffic-distribution-group', id: 'tdg-1' });
    expect(parseLookupTarget(PHONE_NUMBER)).toBeUndefined();
    expect(parseLookupTarget(INSTANCE_FORM)).toBeUndefined();
    expect(describeInvalidTarget(INSTANCE_FORM)).toContain(`that is the ARN of something inside an instance, did you mean the instance ${INSTANCE}?`);
    expect(describeInvalidTarget(`${INSTANCE}/queue/q-1`)).toContain(`did you mean the instance ${INSTANCE}?`);
    expect(describeInvalidTarget(PHONE_NUMBER)).toContain('that is a phone number ARN, give the ARN of the instance that claimed it');
  });

  test('an instance is in the country of the Region in its ARN; without a Connect ARN, where most of its numbers are', () => {
    const numbers = [{ number: '+14155550100', type: PhoneNumberType.DID }];
    expect(instanceCountry(new Inventory('arn:aws:connect:eu-west-2:123456789012:instance/i-1', numbers))).toEqual({ country: 'GB', because: 'its Region is eu-west-2' });
    expect(instanceCountry(new Inventory('not-an-arn', numbers))).toEqual({ country: 'US', because: 'its claimed numbers are in US' });
  });
});
