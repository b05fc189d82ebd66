import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CallerId, ClaimedNumbers, OutboundQueue, PhoneNumberType } from '../lib';
import { ANNOTATIONS_IN_VALIDATION_REPORT, validationsSupport } from '../lib/constructs/report';
import { BILLING_TRANSFER, SALES_TRANSFER } from './support/dynamic-transfers';
import { ROOT, runCdk } from './support/run';
import { warningsOf } from './support/stacks';

const APP = `node ${path.join(ROOT, 'dist/test/fixtures/acknowledge-app.js')}`;
const INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10';

interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: { constructPath: string }[];
  readonly reason?: string;
}

/** `cdk synth` in a new project directory whose cdk.json sets the context given, as a user's would. */
function synth(context: Record<string, unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-report-'));
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: APP, context }));
  const result = runCdk(['synth', '--output', path.join(dir, 'cdk.out'), '--quiet'], dir);
  const out = path.join(dir, 'cdk.out');
  const annotations = JSON.parse(fs.readFileSync(path.join(out, 'validation-report.json'), 'utf8')).pluginReports
    .filter((r: { pluginName: string }) => r.pluginName === 'Construct Annotations');
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    violations: annotations.flatMap((r: { violations: Violation[] }) => r.violations) as Violation[],
    suppressed: annotations.flatMap((r: { suppressedViolations?: Violation[] }) => r.suppressedViolations ?? []) as Violation[],
    metadata: fs.readFileSync(path.join(out, 'Existing.metadata.json'), 'utf8'),
  };
}

describe('findings through CDK Validations, with the real CDK CLI', () => {
  test('a warning acknowledged through Validations for one action is gone; the same warning of the other action stays', () => {
    const run = synth({ ack: 'where' });
    expect(run.status).toBe(0);
    expect(run.output).toContain(`[CALLER_ID_DYNAMIC] CallerId.Number $.Attributes.salesCallerId is known only during the call`);
    expect(run.output).toContain(`(action ${SALES_TRANSFER})`);
    expect(run.output).toContain("Acknowledge with 'Annotation::CALLER_ID_DYNAMIC'");
    expect(run.output).not.toContain(`(action ${BILLING_TRANSFER})`);
    expect(run.metadata).toContain('$.Attributes.salesCallerId');
    expect(run.metadata).not.toContain('$.Attributes.billingCallerId');
  });

  test(`with ${ANNOTATIONS_IN_VALIDATION_REPORT} (on in cdk init apps) validation-report.json carries the rule ids`, () => {
    const run = synth({ [ANNOTATIONS_IN_VALIDATION_REPORT]: true, broken: 'true' });
    expect(run.status).not.toBe(0);
    expect(run.violations.map((v) => [v.ruleName, v.severity, v.violatingConstructs.map((c) => c.constructPath)]).sort()).toEqual([
      ['Annotation::CALLER_ID_DYNAMIC', 'warning', ['Existing/Transfers']],
      ['Annotation::CALLER_ID_DYNAMIC', 'warning', ['Existing/Transfers']],
      ['Annotation::CALLER_ID_NOT_CLAIMED', 'error', ['Existing/Queue']],
    ]);
    expect(run.violations.find((v) => v.ruleName.endsWith('CALLER_ID_NOT_CLAIMED'))!.description)
      .toContain('callerIdNumber +81368001299 is not claimed');
  });

  // aws-cdk-lib's report applies acknowledgements by rule id and construct path only, so with the flag a `where`
  // hides the other action's warning too. CallerId.acknowledgeWarning refuses that combination; when this
  // expectation fails, aws-cdk-lib has started honouring `where` in the report and the refusal can go.
  test(`with ${ANNOTATIONS_IN_VALIDATION_REPORT}, aws-cdk-lib's report widens a where to the whole construct`, () => {
    const run = synth({ [ANNOTATIONS_IN_VALIDATION_REPORT]: true, ack: 'where' });
    expect(run.status).toBe(0);
    expect(run.violations).toEqual([]);
    expect(run.suppressed.map((v) => [v.ruleName, v.reason])).toEqual([
      ['Annotation::CALLER_ID_DYNAMIC', 'The billing system writes billingCallerId from the claimed numbers only'],
    ]);
    expect(run.suppressed[0].description).toContain(`(action ${SALES_TRANSFER})`);
  });
});

describe('CallerId.acknowledgeWarning', () => {
  function queueStack(context: Record<string, unknown> = {}) {
    const app = new App({ context });
    const stack = new Stack(app, 'Centre');
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Numbers', {
      instanceArn: INSTANCE_ARN, deployTimeCheck: false,
      numbers: ['+81368001234', '+81368001235'].map((number, i) => ({
        number, type: PhoneNumberType.DID, countryCode: 'JP', arn: `arn:aws:connect:ap-northeast-1:123456789012:phone-number/0000000${i}-0000-4000-8000-000000000000`,
      })),
    });
    for (const [id, number] of [['First', '+81368001234'], ['Second', '+81368001235']]) {
      new OutboundQueue(stack, id, {
        claimedNumbers: numbers, name: id, hoursOfOperationArn: `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`,
        callerIdNumber: CallerId.fromNumber(number), callerIdName: 'Example',
      });
    }
    return stack;
  }

  test('is Validations.acknowledge: it records the reason where audit tools read it, and can be narrowed to one number', () => {
    expect(validationsSupport()).toEqual({ scopedAcknowledgements: true });
    const stack = queueStack();
    expect(warningsOf(stack).map((w) => w.path)).toEqual(['/Centre/First', '/Centre/Second']);
    CallerId.acknowledgeWarning(stack, 'CALLER_ID_NAME_NO_CNAM', 'Japanese networks do not show names', { number: '+81368001234' });
    expect(warningsOf(stack).map((w) => w.path)).toEqual(['/Centre/Second']);
    expect(stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data))
      .toEqual([{ 'Annotation::CALLER_ID_NAME_NO_CNAM': 'Japanese networks do not show names' }]);
  });

  test(`refuses a where that ${ANNOTATIONS_IN_VALIDATION_REPORT} would widen, and an empty reason`, () => {
    const stack = queueStack({ [ANNOTATIONS_IN_VALIDATION_REPORT]: true });
    expect(() => CallerId.acknowledgeWarning(stack, 'CALLER_ID_NAME_NO_CNAM', 'why', { number: '+81368001234' }))
      .toThrow(/would hide every CALLER_ID_NAME_NO_CNAM warning under Centre. Set the flag to false/);
    CallerId.acknowledgeWarning(stack, 'CALLER_ID_NAME_NO_CNAM', 'Japanese networks do not show names');
    expect(warningsOf(stack)).toEqual([]);
    expect(() => CallerId.acknowledgeWarning(stack, 'CALLER_ID_DYNAMIC', ' ')).toThrow(/needs a reason/);
  });
});
