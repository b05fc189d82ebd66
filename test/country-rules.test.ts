import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CallerId, ClaimedNumber, ClaimedNumbers, OutboundQueue, OutboundWhisperFlow, PhoneNumberType, TransferDestination, TransferToPhoneNumberFlow,
} from '../lib';
import { ALL_RULES, renderRuleTable } from '../lib/core/catalogue';
import { COUNTRY_RULES, judgeNumberRules, NumberOrigin } from '../lib/core/country-rules';
import { checkFlow } from '../lib/core/flow/check';
import { ContactFlowType } from '../lib/core/flow/model';
import { readFlowContent, readFlowExport } from '../lib/core/flow/reader';
import { FlowStructureRules } from '../lib/core/flow/structure';
import { Severity } from '../lib/core/findings';
import { Inventory } from '../lib/core/inventory';
import { CallerIdContext, CallerIdRules, judgeCallerIdName, judgeStaticCallerId, StaticCallerIdUse } from '../lib/core/rules';
import { judgeStaticOnly } from '../lib/constructs/caller-id-judgement';
import { flowFixture } from './support/fixtures';
import { runCli } from './support/run';
import { errorsOf, HOURS_ARN, warningsOf } from './support/stacks';

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const NUMBERS: ClaimedNumber[] = [
  { number: '+61255501234', type: PhoneNumberType.DID, countryCode: 'AU' },
  { number: '+611800123456', type: PhoneNumberType.TOLL_FREE, countryCode: 'AU' },
  { number: '+61255501235', type: PhoneNumberType.THIRD_PARTY_DID, countryCode: 'AU' },
  { number: '+442071838750', type: PhoneNumberType.DID, countryCode: 'GB' },
  { number: '+448701234567', type: PhoneNumberType.DID, countryCode: 'GB' },
  { number: '+12025550143', type: PhoneNumberType.DID, countryCode: 'US' },
  { number: '+18005550100', type: PhoneNumberType.TOLL_FREE, countryCode: 'US' },
  { number: '+17875550123', type: PhoneNumberType.DID, countryCode: 'PR' },
  { number: '+14165550123', type: PhoneNumberType.DID, countryCode: 'CA' },
  { number: '+80012345678', type: PhoneNumberType.UIFN },
  { number: '+81368001234', type: PhoneNumberType.DID, countryCode: 'JP' },
  { number: '+81120123456', type: PhoneNumberType.TOLL_FREE, countryCode: 'JP' },
];
const inventory = new Inventory(INSTANCE_ARN, NUMBERS);

type Use = Partial<StaticCallerIdUse> & { number: string };
const judge = (use: Use) => judgeStaticCallerId({ context: CallerIdContext.TRANSFER, inventory, property: 'callerId', ...use });
const ids = (findings: readonly { ruleId: string }[]) => findings.map((f) => f.ruleId);

describe('country and number-type rules', () => {
  test('CALLER_ID_AU_DID_ONLY: an Australian DID passes; toll-free and third-party numbers fail', () => {
    expect(judge({ number: '+61255501234' })).toEqual([]);
    const [tollFree] = judge({ number: '+611800123456' });
    expect(tollFree).toMatchObject({ ruleId: 'CALLER_ID_AU_DID_ONLY', severity: Severity.ERROR });
    expect(tollFree.message).toBe('callerId +611800123456 is a TOLL_FREE number (per the inventory); in Australia the caller ID must be a DID ' +
      'provided by Amazon Connect, or local carriers may reject the call under anti-fraud rules. Use an Australian DID claimed by the instance');
    expect(ids(judge({ number: '+61255501235' }))).toEqual(['CALLER_ID_AU_DID_ONLY']);
  });

  test('without an inventory the numbering plan types the number', () => {
    expect(judge({ number: '+61255509999', inventory: undefined })).toEqual([]);
    expect(judge({ number: '+611800123457', inventory: undefined })[0].message).toContain('a TOLL_FREE number (per the numbering plan)');
  });

  test('CALLER_ID_UK_870: +44 20 passes, +44 870 fails even when claimed', () => {
    expect(judge({ number: '+442071838750' })).toEqual([]);
    expect(judge({ number: '+448701234567' })).toEqual([expect.objectContaining({
      ruleId: 'CALLER_ID_UK_870', message: expect.stringContaining('not legally permissible as a caller ID in the UK'),
    })]);
  });

  test('CALLER_ID_UIFN_NO_OUTBOUND: a UIFN caller ID fails, by inventory type or by its +800 prefix', () => {
    expect(ids(judge({ number: '+80012345678' }))).toEqual(['CALLER_ID_UIFN_NO_OUTBOUND']);
    expect(ids(judge({ number: '+80012345678', inventory: undefined }))).toEqual(['CALLER_ID_UIFN_NO_OUTBOUND']);
    expect(judge({ number: '+81120123456' })).toEqual([]);
  });

  test('CALLER_ID_TOLL_FREE_INTERNATIONAL: JP toll-free to a JP destination passes, to a US destination fails', () => {
    expect(judge({ number: '+81120123456', destination: '+81368009999' })).toEqual([]);
    expect(judge({ number: '+81120123456', destination: '+12025550199' })).toEqual([expect.objectContaining({
      ruleId: 'CALLER_ID_TOLL_FREE_INTERNATIONAL',
      message: 'callerId +81120123456 is a JP toll-free number and the destination +12025550199 is in US; toll-free numbers cannot ' +
        'place international calls. Use a DID claimed by the instance as the caller ID',
    })]);
    expect(judge({ number: '+81368001234', destination: '+12025550199' })).toEqual([]);
  });

  test('a US toll-free number calling Puerto Rico is a domestic call', () => {
    expect(judge({ number: '+18005550100', destination: '+17875550124' })).toEqual([]);
    expect(ids(judge({ number: '+18005550100', destination: '+14165550124' }))).toEqual(['CALLER_ID_TOLL_FREE_INTERNATIONAL']);
  });

  test('CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE: US toll-free to US toll-free warns, US DID to US toll-free does not', () => {
    expect(judge({ number: '+18005550100', destination: '+18885550100' })).toEqual([expect.objectContaining({
      ruleId: 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE', severity: Severity.WARNING,
    })]);
    expect(judge({ number: '+12025550143', destination: '+18885550100' })).toEqual([]);
    expect(judge({ number: '+18005550100', destination: '+12025550199' })).toEqual([]);
  });

  test('CALLER_ID_NOT_CLAIMED unless approved; CALLER_ID_EXTERNAL_NOT_SUPPORTED: approved passes in the US, fails in Japan', () => {
    const approvedExternal = { approvalReference: 'case-1234' };
    expect(ids(judge({ number: '+12025550199' }))).toEqual(['CALLER_ID_NOT_CLAIMED']);
    expect(judge({ number: '+12025550199', approvedExternal })).toEqual([]);
    expect(judge({ number: '+81368009999', approvedExternal })).toEqual([expect.objectContaining({
      ruleId: 'CALLER_ID_EXTERNAL_NOT_SUPPORTED', severity: Severity.ERROR,
      message: expect.stringContaining('+81368009999 is an external number in JP, where Amazon Connect does not support custom caller IDs'),
    })]);
  });

  test('an approved external number in Australia is not a Connect DID', () => {
    expect(judge({ number: '+61255509999', approvedExternal: { approvalReference: 'case-1' } })[0].message)
      .toContain('is an external number (not provided by Amazon Connect); in Australia');
  });

  test('campaigns get the number rules too', () => {
    expect(ids(judge({ number: '+611800123456', context: CallerIdContext.CAMPAIGN }))).toEqual(['CALLER_ID_AU_DID_ONLY']);
  });

  test('the table is data: a new row applies without code changes', () => {
    const rows = [{ ...COUNTRY_RULES[0], id: 'CALLER_ID_XX', callerId: { countries: ['NZ'] }, except: undefined, message: '{property} {number} in {country}' }];
    expect(judgeNumberRules({
      callerId: { number: '+6493001234', country: 'NZ', origin: NumberOrigin.CLAIMED }, context: CallerIdContext.QUEUE, property: 'p',
    }, rows)).toEqual([expect.objectContaining({ ruleId: 'CALLER_ID_XX', message: 'p +6493001234 in NZ' })]);
  });
});

describe('caller ID name rules', () => {
  const queue = (number: string, callerIdName: string) => ids(judge({ number, callerIdName, context: CallerIdContext.QUEUE }));

  test('CALLER_ID_NAME_NO_CNAM: US and Puerto Rico numbers pass; Japan, Canada and third-party numbers warn', () => {
    expect(queue('+12025550143', 'Example Corp')).toEqual([]);
    expect(queue('+17875550123', 'Example Corp')).toEqual([]);
    expect(queue('+81368001234', 'Example Corp')).toEqual(['CALLER_ID_NAME_NO_CNAM']);
    expect(queue('+14165550123', 'Example Corp')).toEqual(['CALLER_ID_NAME_NO_CNAM']);
    expect(queue('+61255501235', 'Example Corp')).toEqual(['CALLER_ID_AU_DID_ONLY', 'CALLER_ID_NAME_NO_CNAM']);
    expect(queue('+81368001234', 'Example Corp').length).toBe(1);
    expect(ids(judge({ number: '+81368001234' }))).toEqual([]);
  });

  test('CALLER_ID_NAME_TOO_LONG: 15 characters pass, 16 warn with what is shown', () => {
    expect(queue('+12025550143', 'Example Corp Ltd')).toEqual(['CALLER_ID_NAME_TOO_LONG']);
    expect(queue('+12025550143', 'Example Corp Lt')).toEqual([]);
    expect(judgeCallerIdName({ name: 'Example Corp Ltd', context: CallerIdContext.QUEUE })[0].message)
      .toContain('is 16 characters; CNAM displays at most 15, so called parties see "Example Corp Lt"');
  });

  test('CALLER_ID_NAME_RESERVED_CHARACTERS: ; / ? : @ & = + $ , warn; other punctuation does not', () => {
    for (const c of [';', '/', '?', ':', '@', '&', '=', '+', '$', ',']) {
      expect(queue('+12025550143', `Sales ${c} Co`)).toEqual(['CALLER_ID_NAME_RESERVED_CHARACTERS']);
    }
    expect(queue('+12025550143', "Sales-Co's (HQ)")).toEqual([]);
  });

  test('CALLER_ID_NAME_NOT_SHOWN: a name on a transfer, or a queue name replaced by a whisper flow\'s caller ID', () => {
    expect(ids(judge({ number: '+12025550143', callerIdName: 'Example' }))).toEqual(['CALLER_ID_NAME_NOT_SHOWN']);
    expect(ids(judgeCallerIdName({ name: 'Example', context: CallerIdContext.QUEUE, replacedBy: 'the whisper flow' })))
      .toEqual(['CALLER_ID_NAME_NOT_SHOWN']);
    expect(judgeCallerIdName({ name: 'Example', context: CallerIdContext.QUEUE })).toEqual([]);
  });

  test('references in a flow name are not judged as text', () => {
    expect(ids(judgeCallerIdName({ name: '$.Attributes.displayName', context: CallerIdContext.TRANSFER }))).toEqual(['CALLER_ID_NAME_NOT_SHOWN']);
  });
});

describe('in CDK', () => {
  const stackWith = (numbers: ClaimedNumber[] = NUMBERS) => {
    const stack = new Stack(new App(), 'Centre', { env: { account: '123456789012', region: 'us-east-1' } });
    return { stack, claimed: ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers }) };
  };
  const idsOf = (messages: { message: string }[]) => messages.map((m) => m.message.match(/\[(\w+)\]/)![1]);

  test('OutboundQueue: name rules with the queue\'s number, a Japanese number warns CALLER_ID_NAME_NO_CNAM', () => {
    const { stack, claimed } = stackWith();
    new OutboundQueue(stack, 'Us', { claimedNumbers: claimed, name: 'Us', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+12025550143'), callerIdName: 'Example' });
    new OutboundQueue(stack, 'Jp', { claimedNumbers: claimed, name: 'Jp', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'), callerIdName: 'Example' });
    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([{ path: '/Centre/Jp', message: expect.stringContaining('[CALLER_ID_NAME_NO_CNAM] callerIdName "Example" will rarely be shown') }]);
  });

  test('OutboundQueue: a whisper flow with its own caller ID hides the name; with the same number it does not', () => {
    const { stack, claimed } = stackWith();
    const own = new OutboundWhisperFlow(stack, 'Own', { claimedNumbers: claimed, name: 'Own', callerId: CallerId.fromNumber('+12025550143') });
    const other = new OutboundWhisperFlow(stack, 'Other', { claimedNumbers: claimed, name: 'Other', callerId: CallerId.fromNumber('+18005550100') });
    const queue = (id: string, whisper: OutboundWhisperFlow) => new OutboundQueue(stack, id, {
      claimedNumbers: claimed, name: id, hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+12025550143'),
      callerIdName: 'Example', outboundWhisperFlow: whisper,
    });
    queue('Same', own);
    queue('Replaced', other);
    expect(warningsOf(stack)).toEqual([{
      path: '/Centre/Replaced',
      message: expect.stringContaining('[CALLER_ID_NAME_NOT_SHOWN] callerIdName "Example" goes with the queue\'s number, but the outbound whisper flow Centre/Other'),
    }]);
  });

  test('a number claimed in the app is judged by the country and type it is claimed with', () => {
    const { stack, claimed } = stackWith();
    const tollFree = claimed.claimNumber('AuTollFree', { countryCode: 'AU', type: PhoneNumberType.TOLL_FREE });
    const did = claimed.claimNumber('AuDid', { countryCode: 'AU', type: PhoneNumberType.DID });
    new OutboundWhisperFlow(stack, 'Bad', { claimedNumbers: claimed, name: 'Bad', callerId: CallerId.fromClaimedNumber(tollFree) });
    new OutboundWhisperFlow(stack, 'Good', { claimedNumbers: claimed, name: 'Good', callerId: CallerId.fromClaimedNumber(did) });
    expect(errorsOf(stack)).toEqual([{
      path: '/Centre/Bad',
      message: expect.stringContaining('[CALLER_ID_AU_DID_ONLY] callerId the number claimed in this app is a TOLL_FREE number (per the claim)'),
    }]);
  });

  test('TransferToPhoneNumberFlow: static destination and name are judged; the CLI reports the same ids on the generated flow', () => {
    const { stack, claimed } = stackWith();
    const transfer = (id: string, callerId: string, destination: string, callerIdName?: string) => new TransferToPhoneNumberFlow(stack, id, {
      claimedNumbers: claimed, name: id, destination: TransferDestination.fromNumber(destination), callerId: CallerId.fromNumber(callerId), callerIdName,
    });
    const flows = [
      transfer('TollFreeToTollFree', '+18005550100', '+18885550100', 'Example'),
      transfer('Abroad', '+81120123456', '+12025550199'),
    ];
    expect(errorsOf(stack).map((e) => [e.path, idsOf([e])[0]])).toEqual([['/Centre/Abroad', 'CALLER_ID_TOLL_FREE_INTERNATIONAL']]);
    expect(warningsOf(stack).map((w) => [w.path, idsOf([w])[0]])).toEqual([
      ['/Centre/TollFreeToTollFree', 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE'], ['/Centre/TollFreeToTollFree', 'CALLER_ID_NAME_NOT_SHOWN'],
    ]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'country-rules-'));
    const inventoryFile = path.join(dir, 'inventory.json');
    fs.writeFileSync(inventoryFile, JSON.stringify({ instanceArn: INSTANCE_ARN, numbers: NUMBERS }));
    const files = flows.map((flow) => {
      const file = path.join(dir, `${flow.node.id}.json`);
      fs.writeFileSync(file, stack.resolve(flow.resource.content));
      return file;
    });
    const result = runCli(['check', '--numbers', inventoryFile, '--type', 'CONTACT_FLOW', ...files]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n').map((line) => line.match(/: (error|warning) (\w+)/)!.slice(1))).toEqual([
      ['warning', 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE'], ['warning', 'CALLER_ID_NAME_NOT_SHOWN'], ['error', 'CALLER_ID_TOLL_FREE_INTERNATIONAL'],
    ]);
  });

  test('CALLER_ID_DYNAMIC names the generated guard and its fallback; checkFlow sees the same guard in the generated flow', () => {
    const { stack, claimed } = stackWith(NUMBERS.filter((n) => n.countryCode === 'US'));
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    expect(warningsOf(stack)).toEqual([{
      path: '/Centre/Whisper',
      message: '[CALLER_ID_DYNAMIC] callerId $.Attributes.callerId is known only during the call, so its claim, country and type cannot be judged ' +
        'before deployment. The generated Compare lets through only the claimed numbers (+12025550143, +18005550100, and any number claimed ' +
        'in this app after this construct) and sends any other ' +
        "value to the queue's outbound caller ID number (Call phone number without a caller ID) [ack: Annotation::CALLER_ID_DYNAMIC]",
    }]);
    const flow = readFlowContent(JSON.parse(stack.resolve(whisper.resource.content)), 'whisper').flow;
    const findings = checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'CALLER_ID_DYNAMIC', message: expect.stringContaining('It is reached only through Compare') })]);
  });

  test('warnings acknowledged by id no longer print; errors cannot be acknowledged', () => {
    const { stack, claimed } = stackWith();
    new OutboundQueue(stack, 'Jp', {
      claimedNumbers: claimed, name: 'Jp', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'), callerIdName: 'Example Corporation',
    });
    expect(idsOf(warningsOf(stack))).toEqual(['CALLER_ID_NAME_NO_CNAM', 'CALLER_ID_NAME_TOO_LONG']);
    CallerId.acknowledgeWarning(stack, 'CALLER_ID_NAME_NO_CNAM', 'the name is for the few Japanese networks that pass it on');
    expect(idsOf(warningsOf(stack))).toEqual(['CALLER_ID_NAME_TOO_LONG']);
    expect(() => CallerId.acknowledgeWarning(stack, 'CALLER_ID_AU_DID_ONLY', 'x')).toThrow("Centre: CALLER_ID_AU_DID_ONLY is an error, and errors cannot be acknowledged; fix what it reports instead");
    expect(() => CallerId.acknowledgeWarning(stack, 'connect-caller-id:CALLER_ID_DYNAMIC', 'x')).toThrow(/is not a rule id/);
  });

  test('an acknowledgement made before the construct exists applies to it too', () => {
    const { stack, claimed } = stackWith();
    CallerId.acknowledgeWarning(stack, 'CALLER_ID_DYNAMIC', 'guarded by the generated Compare');
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('an approved external number passes, is not registered with the deploy-time check, and a queue refuses it', () => {
    const { stack, claimed } = stackWith();
    const external = CallerId.fromApprovedExternalNumber('+12025550199', { approvalReference: 'case-1234' });
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: external });
    new OutboundWhisperFlow(stack, 'Japan', {
      claimedNumbers: claimed, name: 'J', callerId: CallerId.fromApprovedExternalNumber('+81368009999', { approvalReference: 'case-1' }),
    });
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Japan', message: expect.stringContaining('[CALLER_ID_EXTERNAL_NOT_SUPPORTED]') }]);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
    expect(() => new OutboundQueue(stack, 'Queue', { claimedNumbers: claimed, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: external }))
      .toThrow(/Centre\/Queue: callerIdNumber \+12025550199 is an approved external number, but a queue's caller ID must be claimed/);
    expect(() => CallerId.fromApprovedExternalNumber('+12025550199', { approvalReference: ' ' })).toThrow(/approvalReference must name the AWS Support approval/);
  });

  test('the generated guard lets through only the claimed numbers the rules accept as caller IDs', () => {
    const { stack, claimed } = stackWith();
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    const flow = readFlowContent(JSON.parse(stack.resolve(whisper.resource.content)), 'whisper').flow;
    const compare = flow.Actions.find((a) => a.Type === 'Compare')!;
    expect(compare.Transitions.Conditions!.map((c) => c.Condition.Operands[0])).toEqual([
      '+61255501234', '+442071838750', '+12025550143', '+18005550100', '+17875550123', '+14165550123', '+81368001234', '+81120123456',
    ]);
  });

  test('judgeStaticOnly applies the number rules in the campaign context', () => {
    const { stack, claimed } = stackWith();
    expect(ids(judgeStaticOnly(stack, claimed, CallerId.fromNumber('+611800123456'), CallerIdContext.CAMPAIGN, 'sourcePhoneNumber')))
      .toEqual(['CALLER_ID_AU_DID_ONLY']);
  });
});

describe('checkFlow and connect-caller-id check', () => {
  const transferOf = (flow: any) => flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
  const whisperCallOf = (flow: any) => flow.Actions.find((a: any) => a.Type === 'CompleteOutboundCall');
  const check = (flow: any, type: ContactFlowType, options: object = {}) =>
    checkFlow(readFlowExport(JSON.stringify(flow), 'flow.json').flow, { type, inventory, ...options });

  test('CallerId.Name and ThirdPartyPhoneNumber of a transfer are judged', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    Object.assign(transferOf(flow).Parameters, { ThirdPartyPhoneNumber: '+18885550100', CallerId: { Number: '+18005550100', Name: 'Billing; Sales' } });
    expect(ids(check(flow, ContactFlowType.CONTACT_FLOW)))
      .toEqual(['CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE', 'CALLER_ID_NAME_NOT_SHOWN', 'CALLER_ID_NAME_RESERVED_CHARACTERS']);
  });

  test('an unguarded dynamic caller ID: nothing guards it', () => {
    const flow = flowFixture('outbound-whisper.json');
    whisperCallOf(flow).Parameters.CallerId.Number = '$.Attributes.callerId';
    expect(check(flow, ContactFlowType.OUTBOUND_WHISPER)).toEqual([expect.objectContaining({
      ruleId: 'CALLER_ID_DYNAMIC', message: expect.stringContaining('Nothing guards it: an unclaimed value fails the call'),
    })]);
  });

  test('a Compare that lets an unclaimed number through does not guard', () => {
    const flow = flowFixture('outbound-whisper.json');
    const call = whisperCallOf(flow);
    call.Parameters.CallerId.Number = '$.Attributes.callerId';
    const compare = (operand: string) => ({
      Identifier: 'guard', Type: 'Compare', Parameters: { ComparisonValue: '$.Attributes.callerId' },
      Transitions: {
        NextAction: flow.Actions[2].Identifier,
        Conditions: [{ NextAction: call.Identifier, Condition: { Operator: 'Equals', Operands: [operand] } }],
        Errors: [{ NextAction: flow.Actions[2].Identifier, ErrorType: 'NoMatchingCondition' }],
      },
    });
    const guarded = { ...flow, StartAction: 'guard', Actions: [compare('+12025550143'), ...flow.Actions] };
    expect(check(guarded, ContactFlowType.OUTBOUND_WHISPER)[0].message).toContain('It is reached only through Compare "guard"');
    const leaky = { ...flow, StartAction: 'guard', Actions: [compare('+12025550199'), ...flow.Actions] };
    expect(check(leaky, ContactFlowType.OUTBOUND_WHISPER)[0].message).toContain('Nothing guards it');
  });

  test('approved external numbers given to checkFlow need not be claimed', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    transferOf(flow).Parameters.CallerId.Number = '+12025550199';
    expect(ids(check(flow, ContactFlowType.CONTACT_FLOW))).toEqual(['CALLER_ID_NOT_CLAIMED']);
    expect(check(flow, ContactFlowType.CONTACT_FLOW, { approvedExternalNumbers: { '+12025550199': 'case-1' } })).toEqual([]);
  });

  test('--acknowledge drops warnings from output and counts; errors and unknown ids are refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'country-cli-'));
    const inventoryFile = path.join(dir, 'inventory.json');
    fs.writeFileSync(inventoryFile, JSON.stringify({ instanceArn: INSTANCE_ARN, numbers: NUMBERS }));
    const flow = flowFixture('inbound-transfer-to-phone.json');
    Object.assign(transferOf(flow).Parameters, { ThirdPartyPhoneNumber: '+18885550100', CallerId: { Number: '+18005550100' } });
    const file = path.join(dir, 'flow.json');
    fs.writeFileSync(file, JSON.stringify(flow));

    const plain = runCli(['check', '--numbers', inventoryFile, file]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain(`${file}: warning CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE action ${transferOf(flow).Identifier}:`);
    expect(plain.stderr).toContain('0 error(s), 1 warning(s)');

    const acknowledged = runCli(['check', '--json', '--numbers', inventoryFile, '--acknowledge', 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE', file]);
    expect(acknowledged.status).toBe(0);
    expect(JSON.parse(acknowledged.stdout)).toMatchObject({ errors: 0, warnings: 0, acknowledged: 1, files: [{ findings: [] }] });

    const error = runCli(['check', '--numbers', inventoryFile, '--acknowledge', 'CALLER_ID_NOT_CLAIMED', file]);
    expect(error.status).toBe(2);
    expect(error.stderr).toContain('CALLER_ID_NOT_CLAIMED is an error, and errors cannot be acknowledged');
    expect(runCli(['check', '--numbers', inventoryFile, '--acknowledge', 'NOPE', file]).stderr).toContain('--acknowledge NOPE: "NOPE" is not a rule id');
  });
});

describe('the rule catalogue', () => {
  test('every rule has a unique id, a trigger, a fix and a source', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect([r.trigger, r.fix, r.source].every((t) => t.length > 10)).toBe(true);
    }
    expect(ALL_RULES.map((r) => r.id)).toEqual(expect.arrayContaining([
      ...COUNTRY_RULES.map((r) => r.id), ...Object.values(FlowStructureRules), ...Object.values(CallerIdRules).map((r) => r.id),
    ]));
  });

  test('renderRuleTable prints one row per rule', () => {
    const table = renderRuleTable();
    expect(table.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(ALL_RULES.length);
    expect(table).toContain('| `CALLER_ID_AU_DID_ONLY` | error |');
  });
});
