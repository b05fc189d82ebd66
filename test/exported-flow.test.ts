import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnQueue } from 'aws-cdk-lib/aws-connect';
import { CallerId, ClaimedNumbers, ContactFlowType, OutboundQueue } from '../lib';
import { CallerIdChecks } from '../lib/constructs/caller-id-checks';
import { ExportedFlow } from '../lib/constructs/exported-flow';
import { MAX_FLOW_FILE_BYTES } from '../lib/core/json-text';
import { FLOW_FIXTURES, flowFixture } from './support/fixtures';
import { checkOf, usesOf } from './support/checks';
import { errorsOf, HOURS_ARN, INSTANCE_ARN, stackWithInventory } from './support/stacks';

const SOURCE = 'arn:aws:connect:ap-northeast-1:111122223333:instance/ed425cbc-c4cd-4005-9683-36135ca424ea';
const SOURCE_QUEUE = `${SOURCE}/queue/1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;
const SOURCE_PROMPT = `${SOURCE}/prompt/6f0b2c1e-9d3a-4c55-8e2f-7a1b0c9d8e71`;
const SOURCE_FLOW = `${SOURCE}/contact-flow/a10b9656-1932-4978-aa60-e52fefb71fd1`;
const SOURCE_LAMBDA = 'arn:aws:lambda:ap-northeast-1:111122223333:function:lookup-account';
const TARGET_PROMPT = `${INSTANCE_ARN}/prompt/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f`;
const fixture = (name: string) => path.join(FLOW_FIXTURES, name);

/** Writes a variant of a fixture to a temporary file, as a user's exported file would be. */
function tempFlowFile(content: unknown): string {
  return tempTextFile(JSON.stringify(content));
}

function tempTextFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exported-flow-')), 'flow.json');
  fs.writeFileSync(file, text);
  return file;
}

function contentOf(flow: ExportedFlow): any {
  return flow.resource.stack.resolve(flow.resource.content);
}

describe('ExportedFlow', () => {
  test('GIVEN a console export WHEN deployed THEN a checked CfnContactFlow with the name and type of the file, its number verified at deploy time', () => {
    const { stack, numbers } = stackWithInventory();
    const flow = new ExportedFlow(stack, 'Inbound', { claimedNumbers: numbers, file: fixture('inbound-transfer-to-phone.json') });
    expect(errorsOf(stack)).toEqual([]);
    expect(flow.type).toBe(ContactFlowType.CONTACT_FLOW);
    expect(flow.node.findChild('Resource')).toBe(flow.resource);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Connect::ContactFlow', { Name: 'Inbound - transfer to billing desk', Type: 'CONTACT_FLOW', InstanceArn: INSTANCE_ARN });
    expect(JSON.parse(contentOf(flow))).toEqual(flowFixture('inbound-transfer-to-phone.json'));
    expect(usesOf(checkOf(stack).properties)).toEqual([['+81368001234', 'Centre/Inbound', 'transfer to phone number']]);
  });

  test('GIVEN a DescribeContactFlow response THEN its content is deployed with its type and name, the transfer timeout in the spelling exports use', () => {
    const { stack, numbers } = stackWithInventory();
    const flow = new ExportedFlow(stack, 'AfterHours', { claimedNumbers: numbers, file: fixture('queue-transfer-describe-contact-flow.json') });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', { Name: 'Queue transfer - after-hours desk', Type: 'QUEUE_TRANSFER' });
    const transfer = JSON.parse(contentOf(flow)).Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
    expect(transfer.Parameters).toEqual({
      ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '20', ContinueFlowExecution: 'False',
      CallerId: { Number: '+81120123456', Name: 'Support' },
    });
  });

  test('GIVEN a flow with a prompt before Call phone number THEN synth reports it with the file and the action', () => {
    const { stack, numbers } = stackWithInventory();
    const file = fixture('whisper-prompt-before-call.json');
    new ExportedFlow(stack, 'Whisper', { claimedNumbers: numbers, file });
    expect(errorsOf(stack)).toEqual([{
      path: '/Centre/Whisper',
      message: expect.stringMatching(new RegExp(`^\\[FLOW_PARTICIPANT_BEFORE_CALL\\] ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*Put Call phone number first \\(action 71654c00-77cf-4413-9220-52b2f5df0e22\\) \\(Annotation::FLOW_PARTICIPANT_BEFORE_CALL\\)$`)),
    }]);
  });

  test.each([
    ['ap-northeast-1', 'CALLER_ID_NOT_E164'],
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164'],
  ])('GIVEN caller ID %s in the file THEN %s', (number, ruleId) => {
    const { stack, numbers } = stackWithInventory();
    const content = flowFixture('outbound-whisper.json');
    content.Actions[0].Parameters.CallerId.Number = number;
    new ExportedFlow(stack, 'Whisper', { claimedNumbers: numbers, file: tempFlowFile(content) });
    expect(errorsOf(stack).map((e) => e.message.match(/\[(\w+)\]/)![1])).toEqual([ruleId]);
  });

  test('GIVEN a caller ID holding a template placeholder THEN synth refuses it, naming the file, the placeholder and the fix', () => {
    const { stack, numbers } = stackWithInventory();
    const content = flowFixture('outbound-whisper.json');
    content.Actions[0].Parameters.CallerId.Number = '+1{{callerId}}';
    const file = tempFlowFile(content);
    new ExportedFlow(stack, 'Whisper', { claimedNumbers: numbers, file });
    const errors = errorsOf(stack);
    expect(errors.map((e) => e.message.match(/\[(\w+)\]/)![1])).toEqual(['FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED']);
    expect(errors[0].message).toContain(`${file}: 1 value of this flow holds a template placeholder: CallerId.Number "{{callerId}}"`);
    expect(errors[0].message).toContain('Substitute the values before synth');
  });

  test.each([
    ['UTF-16LE with a byte order mark', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16BE with a byte order mark', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
    ['UTF-8 with a byte order mark', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])],
  ])('GIVEN an export saved as %s THEN it synthesizes the same content as the UTF-8 file', (_what, encode) => {
    const text = JSON.stringify(flowFixture('outbound-whisper.json'));
    const { stack, numbers } = stackWithInventory();
    const plain = new ExportedFlow(stack, 'Plain', { claimedNumbers: numbers, file: tempTextFile(text) });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exported-flow-')), 'flow.json');
    fs.writeFileSync(file, encode(text));
    const encoded = new ExportedFlow(stack, 'Encoded', { claimedNumbers: numbers, file });
    expect(contentOf(encoded)).toEqual(contentOf(plain));
    expect(errorsOf(stack)).toEqual([]);
  });

  test('GIVEN a number AWS Support approved THEN it need not be claimed and is not verified at deploy time', () => {
    const { stack, numbers } = stackWithInventory();
    const content = flowFixture('outbound-whisper.json');
    content.Actions[0].Parameters.CallerId.Number = '+12025550143';
    new ExportedFlow(stack, 'Whisper', { claimedNumbers: numbers, file: tempFlowFile(content), approvedExternalNumbers: { '+12025550143': 'case-123456' } });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });

  test('GIVEN the source instance\'s ARNs mapped to this stack\'s values (tokens included) THEN the content carries them everywhere, metadata too', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = new CfnQueue(stack, 'Queue', { instanceArn: INSTANCE_ARN, name: 'Accounts', hoursOfOperationArn: HOURS_ARN });
    const lambdaArn = new CfnParameter(stack, 'LookupFunctionArn').valueAsString;
    const flow = new ExportedFlow(stack, 'Accounts', {
      claimedNumbers: numbers, file: fixture('inbound-with-instance-arns.json'), name: 'Accounts',
      arnMap: { [SOURCE_QUEUE]: queue.attrQueueArn, [SOURCE_PROMPT]: TARGET_PROMPT, [SOURCE_LAMBDA]: lambdaArn, [SOURCE_FLOW]: 'arn:aws:connect:ap-northeast-1:123456789012:instance/7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10/contact-flow/ab12' },
    });
    expect(errorsOf(stack)).toEqual([]);
    const content = contentOf(flow);
    expect(content['Fn::Join'][0]).toBe('');
    const parts: unknown[] = content['Fn::Join'][1];
    expect(parts).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': ['Queue', 'QueueArn'] }, { Ref: 'LookupFunctionArn' }]));
    const text = parts.filter((p) => typeof p === 'string').join('');
    expect(text).not.toContain('111122223333');
    expect(text).toContain(TARGET_PROMPT);
    // Two queue references: the Set working queue parameter and the designer's metadata.
    expect(parts.filter((p) => JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': ['Queue', 'QueueArn'] }))).toHaveLength(2);
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', { Name: 'Accounts', Type: 'CONTACT_FLOW' });
  });

  test('GIVEN unmapped ARNs of another instance or account THEN it throws, listing each with where it is and the fix', () => {
    const { stack, numbers } = stackWithInventory();
    const file = fixture('inbound-with-instance-arns.json');
    let message = '';
    try {
      new ExportedFlow(stack, 'Accounts', { claimedNumbers: numbers, file, arnMap: { [SOURCE_PROMPT]: TARGET_PROMPT } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`Centre/Accounts: ${file} names resources that ${INSTANCE_ARN} cannot use`);
    expect(message).toContain(`- ${SOURCE_LAMBDA} (action c0a2e7d4-58b9-4f1c-a6e3-2d9f1b7c4e55 Parameters.LambdaFunctionARN)`);
    expect(message).toContain(`- ${SOURCE_QUEUE} (action 9e3f4a6b-2c1d-4e8f-b7a5-0d6c9b8a7f12 Parameters.QueueId; Metadata.ActionMetadata.9e3f4a6b-2c1d-4e8f-b7a5-0d6c9b8a7f12.queue.id)`);
    expect(message).toContain(`- ${SOURCE_FLOW} (action 2f3e4d5c-6b7a-4891-a0b1-c2d3e4f5a6b7 Parameters.ContactFlowId;`);
    expect(message).not.toContain(`- ${SOURCE_PROMPT}`);
    expect(message).toContain(`Map each to this stack's value with arnMap, e.g. arnMap: { '${SOURCE_LAMBDA}': fn.functionArn }`);
  });

  test('GIVEN an ARN mapped to itself THEN it is kept on purpose', () => {
    const { stack, numbers } = stackWithInventory();
    const keep = Object.fromEntries([SOURCE_QUEUE, SOURCE_PROMPT, SOURCE_FLOW, SOURCE_LAMBDA].map((a) => [a, a]));
    const flow = new ExportedFlow(stack, 'Accounts', { claimedNumbers: numbers, file: fixture('inbound-with-instance-arns.json'), arnMap: keep });
    expect(JSON.parse(contentOf(flow)).Actions[2].Parameters.QueueId).toBe(SOURCE_QUEUE);
  });

  test('GIVEN an instance known only at deploy time THEN every ARN left in the file must be mapped', () => {
    const { stack } = stackWithInventory();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'ByParam', { instanceArn: new CfnParameter(stack, 'Instance').valueAsString, numbers: [] });
    const content = flowFixture('inbound-transfer-to-phone.json');
    content.Actions[3].Parameters.Attributes.queue = `${INSTANCE_ARN}/queue/q1`;
    expect(() => new ExportedFlow(stack, 'Flow', { claimedNumbers: numbers, file: tempFlowFile(content) }))
      .toThrow(/names resources that an instance known only at deploy time cannot use/);
  });

  test('file problems throw at construction, naming the file and the fix', () => {
    const { stack, numbers } = stackWithInventory();
    expect(() => new ExportedFlow(stack, 'Missing', { claimedNumbers: numbers, file: 'flows/none.json' }))
      .toThrow(/Centre\/Missing: flows\/none\.json: cannot read the file \(ENOENT\)/);
    // A file larger than any flow export is refused without being read (a sparse file: no bytes written).
    const huge = tempTextFile('');
    fs.truncateSync(huge, MAX_FLOW_FILE_BYTES + 1);
    expect(() => new ExportedFlow(stack, 'Huge', { claimedNumbers: numbers, file: huge }))
      .toThrow(/Centre\/Huge: .*flow\.json: is larger than 8 MiB \(8,388,608 bytes\), the most read of a flow file/);
    const notJson = tempTextFile('{"Version": ');
    expect(() => new ExportedFlow(stack, 'Broken', { claimedNumbers: numbers, file: notJson })).toThrow(/Centre\/Broken: .*flow\.json: is not valid JSON at line 1/);

    const untyped = flowFixture('outbound-whisper.json');
    delete untyped.Metadata.type;
    delete untyped.Metadata.name;
    const untypedFile = tempFlowFile(untyped);
    expect(() => new ExportedFlow(stack, 'Untyped', { claimedNumbers: numbers, file: untypedFile, name: 'W' }))
      .toThrow(/does not say its flow type \(no ContactFlow\.Type or Metadata\.type\); set type/);
    expect(() => new ExportedFlow(stack, 'Unnamed', { claimedNumbers: numbers, file: untypedFile, type: ContactFlowType.OUTBOUND_WHISPER }))
      .toThrow(/does not name the flow \(no ContactFlow\.Name or Metadata\.name\); set name/);
    expect(() => new ExportedFlow(stack, 'Mismatch', { claimedNumbers: numbers, file: fixture('outbound-whisper.json'), type: ContactFlowType.CONTACT_FLOW }))
      .toThrow(/type is CONTACT_FLOW but .*outbound-whisper\.json is a OUTBOUND_WHISPER flow/);
  });

  test('an exported whisper flow can be a queue\'s outbound whisper flow; another type cannot', () => {
    const { app, stack, numbers } = stackWithInventory();
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
    const whisper = new ExportedFlow(stack, 'Whisper', { claimedNumbers: numbers, file: fixture('outbound-whisper.json') });
    const inbound = new ExportedFlow(stack, 'Inbound', { claimedNumbers: numbers, file: fixture('inbound-transfer-to-phone.json') });
    new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'),
      outboundWhisperFlow: whisper.asOutboundWhisperFlow(),
    });
    expect(whisper.usesDynamicCallerId).toBe(false);
    expect(whisper.callerId?.value).toBe('+81368001235');
    expect(inbound.callerId).toBeUndefined();
    expect(() => inbound.asOutboundWhisperFlow()).toThrow(/Centre\/Inbound: is a CONTACT_FLOW flow; only an OUTBOUND_WHISPER flow/);
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::Queue', {
      OutboundCallerConfig: Match.objectLike({ OutboundFlowArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Whisper'), 'ContactFlowArn'] } }),
    });
  });
});
