import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { App } from 'aws-cdk-lib';
import { ExampleContactCentreStack } from '../bin/example-app';
import { readTemplateFlowContent } from '../lib/core/cfn-content';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from '../lib/core/flow/model';
import { checkPublishRules } from '../lib/core/flow/publish-rules';
import { validateFlowCompleteness, validateFlowStructure } from '../lib/core/flow/structure';
import { Finding, formatFinding } from '../lib/core/findings';

// Every flow the library generates, as CloudFormation receives it (the synthesized template), judged by every
// structure rule and every rule Connect applies when the flow is published: the example app in bin/ and the flows
// the README's complete examples build.
const ROOT = path.join(__dirname, '..');
const CONTEXT = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.context.json'), 'utf8'));

interface GeneratedFlow {
  readonly where: string;
  readonly type: ContactFlowType;
  readonly flow: FlowDocument;
  readonly isDeployTimeValue: (value: string) => boolean;
}

function flowsOf(app: App, origin: string): GeneratedFlow[] {
  const assembly = app.synth();
  const flows: GeneratedFlow[] = [];
  for (const stack of assembly.stacks) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Connect::ContactFlow') continue;
      const where = `${origin} ${stack.stackName}/${logicalId}`;
      const read = readTemplateFlowContent(resource.Properties.Content, where);
      if (read === undefined) throw new Error(`${where}: the content is a deploy-time value as a whole`);
      flows.push({ where, type: resource.Properties.Type, flow: read.flow, isDeployTimeValue: read.isDeployTimeValue });
    }
  }
  return flows;
}

function exampleAppFlows(): GeneratedFlow[] {
  const app = new App({ context: CONTEXT });
  new ExampleContactCentreStack(app, 'ExampleContactCentre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  return flowsOf(app, 'bin/example-app.ts');
}

/** The README's complete examples (those that make an App and one of the flow constructs), run as a user would with the committed context. */
function readmeFlows(): { snippets: number; flows: GeneratedFlow[] } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .filter((code) => /new App\(\)/.test(code) && /new (TransferToPhoneNumberFlow|OutboundWhisperFlow|CallProgressFlow)\(/.test(code));
  const flows: GeneratedFlow[] = [];
  snippets.forEach((code, i) => {
    const source = code
      .replace(/from 'cdk-connect-caller-id'/g, `from ${JSON.stringify(path.join(ROOT, 'lib'))}`)
      .replace(/new App\(\)/, 'new App({ context: __context })') + '\nexports.app = app;\n';
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const exported: { app?: App } = {};
    new Function('require', 'exports', '__context', js)(require, exported, CONTEXT);
    flows.push(...flowsOf(exported.app!, `README example ${i + 1}`));
  });
  return { snippets: snippets.length, flows };
}

function problemsOf(generated: GeneratedFlow): Finding[] {
  const { flow, type, isDeployTimeValue } = generated;
  return [
    ...validateFlowStructure(flow),
    ...validateFlowCompleteness(flow, type),
    ...checkPublishRules(flow, { type, isDeployTimeValue }).findings,
  ];
}

function designerMetadataOf(flow: FlowDocument, action: FlowAction): Record<string, any> {
  return (flow.Metadata!.ActionMetadata as Record<string, Record<string, any>>)[action.Identifier];
}

describe('every flow the library generates', () => {
  const example = exampleAppFlows();
  const readme = readmeFlows();
  const all = [...example, ...readme.flows];

  test('the example app and the README examples generate the flows they describe', () => {
    // The example app: a whisper flow, two transfers and a call-progress flow; the README: a transfer and a call-progress flow.
    expect(example.map((f) => f.type).sort()).toEqual(['CONTACT_FLOW', 'CONTACT_FLOW', 'OUTBOUND_WHISPER', 'QUEUE_TRANSFER']);
    expect(readme.snippets).toBe(2);
    expect(readme.flows.map((f) => f.type).sort()).toEqual(['CONTACT_FLOW', 'CONTACT_FLOW']);
  });

  test('passes every structure rule and every rule Connect applies when the flow is published', () => {
    const problems = all.flatMap((g) => problemsOf(g).map((f) => `${g.where}: ${formatFinding(f)}`));
    expect(problems).toEqual([]);
  });

  test('shows the designer every caller ID it sets, every condition and every queue', () => {
    let callerIds = 0;
    for (const { where, flow } of all) {
      for (const action of flow.Actions) {
        const meta = designerMetadataOf(flow, action);
        expect({ where, id: action.Identifier, isFriendlyName: meta.isFriendlyName }).toEqual({ where, id: action.Identifier, isFriendlyName: true });
        const number = (action.Parameters.CallerId as { Number?: string } | undefined)?.Number;
        if (number !== undefined) {
          callerIds++;
          const source = number.startsWith('$.') ? 'dynamic' : 'claimed';
          expect(meta.callerIdSource).toBe(source);
          expect(meta.parameters.CallerId.Number.inputOption).toBe(source);
          if (source === 'claimed') expect(meta.parameters.CallerId.Number.displayName).toBe(number);
          if (action.Type === ActionTypes.CALL_PHONE_NUMBER) expect(meta.setOptionalCallerId).toBe(true);
        }
        if (action.Type === ActionTypes.COMPARE) {
          expect(meta.conditionMetadata.map((c: any) => [c.operator.value, c.value]))
            .toEqual(action.Transitions.Conditions!.map((c) => [c.Condition.Operator, c.Condition.Operands[0]]));
        }
        if (action.Type === ActionTypes.SET_WORKING_QUEUE) {
          expect(meta.queue.text).toBe('Sales outbound');
          expect(meta.parameters.QueueId.displayName).toBe('Sales outbound');
        }
      }
    }
    // The whisper flow's guarded call (its fallback uses the queue's number), the head-office transfer, the partner
    // desk's guarded and fallback transfers, and the README's transfer.
    expect(callerIds).toBe(5);
  });
});

describe('a generated flow type the publish rules refuse', () => {
  test('GIVEN the example stack WHEN a flow is checked as a type it is not THEN the check finds what Connect would reject', () => {
    // The same test harness must be able to fail: the outbound whisper flow ends with End flow, which an inbound flow may not.
    const whisper = exampleAppFlows().find((f) => f.type === ContactFlowType.OUTBOUND_WHISPER)!;
    expect(problemsOf({ ...whisper, type: ContactFlowType.CONTACT_FLOW }).map((f) => f.ruleId)).toContain('FLOW_END_FLOW_WRONG_TYPE');
  });
});
