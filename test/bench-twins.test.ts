import * as fs from 'fs';
import * as path from 'path';
import {
  CentreSize, checkedNumbersByStack, claimedNumbers, rawFlows, synthSameTemplateWithL1, synthWithConstructs, synthWithL1,
} from '../bench/contact-centre';

/*
 * The synth benchmark compares the constructs with L1 twins of the same contact centre. Its figures mean what the
 * README says only while the twins synthesize what they stand for: the raw twin the same resources without the
 * library's check, the same-template twin the constructs' very templates and construct paths.
 */

// Two stacks, the second one partly filled: the twins split stacks as the constructs do.
const SIZE: CentreSize = { queues: 130, numbers: 150 };

interface Assembly {
  readonly templates: Record<string, any>;
  /** Each stack's construct paths and the logical ids aws-cdk-lib gave them. */
  readonly logicalIds: Record<string, Record<string, string>>;
}

function read(directory: string): Assembly {
  const templates: Record<string, any> = {};
  // Read as the files are, so that key order is compared too.
  const logicalIds: Record<string, Record<string, string>> = {};
  for (const file of fs.readdirSync(directory)) {
    const stack = file.match(/^(.+)\.template\.json$/)?.[1];
    if (stack === undefined) continue;
    templates[stack] = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'));
    const metadata = JSON.parse(fs.readFileSync(path.join(directory, `${stack}.metadata.json`), 'utf8'));
    logicalIds[stack] = Object.fromEntries(Object.entries(metadata as Record<string, { type: string; data: unknown }[]>)
      .flatMap(([p, entries]) => entries.filter((e) => e.type === 'aws:cdk:logicalId').map((e) => [p, e.data as string])));
  }
  fs.rmSync(directory, { recursive: true, force: true });
  return { templates, logicalIds };
}

const numbers = claimedNumbers(SIZE.numbers);
const flows = rawFlows(SIZE, numbers);
const ours = read(synthWithConstructs(SIZE, numbers));

test('GIVEN the bench contact centre THEN the same-template twin synthesizes the very templates and logical ids of the constructs', () => {
  const twin = read(synthSameTemplateWithL1(SIZE, numbers, flows, checkedNumbersByStack(SIZE, numbers)));
  expect(Object.keys(ours.templates)).toEqual(['Centre0', 'Centre1']);
  expect(twin.templates).toEqual(ours.templates);
  // Text for text: the same resources in the same order, as aws-cdk-lib writes the template file.
  expect(JSON.stringify(twin.templates)).toBe(JSON.stringify(ours.templates));
  // Three resources a unit, the check's four, and aws-cdk-lib's bootstrap version parameter and rule: none left out.
  expect(Object.values(ours.logicalIds).map((ids) => Object.keys(ids).length)).toEqual([3 * 100 + 4 + 2, 3 * 30 + 4 + 2]);
  expect(twin.logicalIds).toEqual(ours.logicalIds);
});

test('GIVEN the bench contact centre THEN the raw twin has the same flows and queues, without the deploy-time check', () => {
  const raw = read(synthWithL1(SIZE, numbers, flows));
  // Logical ids differ (the raw twin's resources are children of the stack), so each queue's flow reference is left out.
  const connectResources = (templates: Record<string, any>) => Object.fromEntries(Object.entries(templates).map(([stack, t]) => [stack,
    Object.values(t.Resources as Record<string, any>)
      .filter((r) => r.Type.startsWith('AWS::Connect::'))
      .map(({ Type, Properties: { OutboundCallerConfig, ...rest } }) => ({
        Type, ...rest, ...(OutboundCallerConfig ? { callerIdNumberArn: OutboundCallerConfig.OutboundCallerIdNumberArn } : {}),
      }))]));
  expect(connectResources(raw.templates)).toEqual(connectResources(ours.templates));
  const types = new Set(Object.values(raw.templates).flatMap((t) => Object.values(t.Resources as Record<string, any>).map((r) => r.Type)));
  expect([...types].sort()).toEqual(['AWS::Connect::ContactFlow', 'AWS::Connect::Queue']);
});
