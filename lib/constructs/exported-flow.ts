import { Stack, Token } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { instanceIdOf } from '../core/connect-arn';
import { parseE164 } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { callerIdUses, checkFlow, FlowContentStage, usesDynamicCallerId } from '../core/flow/check';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from '../core/flow/model';
import { assertFlowNesting, readFlowExport } from '../core/flow/reader';
import { readFlowFile } from '../core/json-text';
import { callerIdValueForm } from '../core/rules';
import { CallerId } from './caller-id';
import { ClaimedNumbers } from './claimed-numbers';
import { flowNumberUse } from './deploy-time-uses';
import { IOutboundWhisperFlow } from './outbound-whisper-flow';
import { validateName } from './props';
import { reportFindings } from './report';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

export interface ExportedFlowProps {
  readonly claimedNumbers: ClaimedNumbers;
  /**
   * The flow file: the flow content as the Connect console exports it, or a DescribeContactFlow response
   * (`aws connect describe-contact-flow`). A relative path is read from the directory `cdk synth` runs in.
   */
  readonly file: string;
  /**
   * The flow name (1-127 characters).
   * @default - the name in the file: `ContactFlow.Name` of a DescribeContactFlow response, else `Metadata.name`
   */
  readonly name?: string;
  /**
   * The flow type. When the file states one too, both must agree.
   * @default - the type in the file: `ContactFlow.Type` of a DescribeContactFlow response, else `Metadata.type`
   */
  readonly type?: ContactFlowType;
  /**
   * The ARNs in the file, mapped to this stack's values (literal ARNs or tokens such as `queue.attrQueueArn`).
   * An exported flow names the queues, prompts, Lambda functions and flows of the instance it was exported
   * from; each ARN of another instance, account or region must be mapped. Map an ARN to itself to keep it.
   * @default - nothing mapped: the file must name only resources of this instance
   */
  readonly arnMap?: Record<string, string>;
  /**
   * Numbers AWS Support approved as external caller IDs, each with what records the approval (e.g. the support
   * case id). They need not be claimed and are not verified at deploy time; the country rules still apply.
   * @default - none: every caller ID must be claimed
   */
  readonly approvedExternalNumbers?: Record<string, string>;
  /**
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A flow designed in the Connect console and deployed from its exported JSON file, with the same checks as
 * the flows this library builds and with the exporting instance's ARNs mapped to this stack's.
 *
 * Problems with the file itself (unreadable, no type or name, unmapped ARNs) throw when the construct is
 * created; caller ID problems in the flow are reported at synth with the file name and the action identifier.
 */
export class ExportedFlow extends Construct {
  /** Whether `x` is an `ExportedFlow`, also one made by another copy of this package (where `instanceof` is false). */
  public static isExportedFlow(x: any): x is ExportedFlow {
    return hasBrand(x, 'ExportedFlow');
  }

  public readonly flowArn: string;
  public readonly type: ContactFlowType;
  /** Whether a Call phone number or transfer block takes its caller ID from a reference, judged only during the call. */
  public readonly usesDynamicCallerId: boolean;
  /**
   * For an outbound whisper flow: the caller ID its first Call phone number block that sets one presents.
   * @default - undefined when the flow sets none (calls then use the queue's number)
   */
  public readonly callerId?: CallerId;
  /** The underlying `AWS::Connect::ContactFlow`. */
  public readonly resource: CfnContactFlow;

  constructor(scope: Construct, id: string, props: ExportedFlowProps) {
    super(scope, id);
    brand(this, 'ExportedFlow');
    const { claimedNumbers, file } = props;
    const read = this.read(file);
    this.type = this.flowType(file, props.type, read.type);
    const name = props.name ?? read.name;
    if (name === undefined) {
      throw new Error(`${this.node.path}: ${file} does not name the flow (no ContactFlow.Name or Metadata.name); set name`);
    }
    validateName(this, name);

    const arnMap = props.arnMap ?? {};
    const foreign = foreignArns(read.flow, claimedNumbers.instanceArn).filter((f) => !Object.prototype.hasOwnProperty.call(arnMap, f.arn));
    if (foreign.length > 0) throw new Error(unmappedMessage(this.node.path, file, foreign, claimedNumbers.instanceArn));
    const flow = mapArns(read.flow, arnMap);

    const approved = props.approvedExternalNumbers ?? {};
    const findings = checkFlow(flow, {
      type: this.type, inventory: claimedNumbers.inventory, isDeployTimeValue: (v) => Token.isUnresolved(v), approvedExternalNumbers: approved,
      stage: FlowContentStage.DEPLOYED,
    });
    reportFindings(this, findings.map((f) => ({ ...f, file, message: `${file}: ${f.message}` })));

    this.resource = new CfnContactFlow(this, 'Resource', {
      instanceArn: claimedNumbers.instanceArn,
      name,
      type: this.type,
      content: Stack.of(this).toJsonString(flow),
      description: props.description,
    });
    computeLogicalIdOnce(this.resource);
    this.flowArn = this.resource.attrContactFlowArn;
    StackBudget.of(Stack.of(this)).addFlow(this.resource);
    this.usesDynamicCallerId = usesDynamicCallerId(flow);
    const presented = callerIdUses(flow).find((u) => u.actionType === ActionTypes.CALL_PHONE_NUMBER && u.value !== undefined)?.value;
    if (this.type === ContactFlowType.OUTBOUND_WHISPER && presented !== undefined) {
      this.callerId = callerIdValueForm(presented) === 'static' ? CallerId.fromNumber(presented) : CallerId.fromPath(presented);
    }

    const actions = new Map(flow.Actions.map((a) => [a.Identifier, a]));
    for (const use of callerIdUses(flow)) {
      const value = use.value;
      if (value === undefined || callerIdValueForm(value) !== 'static' || Object.prototype.hasOwnProperty.call(approved, value)) continue;
      if (Token.isUnresolved(value) || parseE164(value).ok) claimedNumbers._useNumber(this, value, flowNumberUse(actions.get(use.actionId)!));
    }
  }

  /**
   * This flow as a queue's outbound whisper flow (`OutboundQueue` `outboundWhisperFlow`); throws unless its type
   * is `OUTBOUND_WHISPER`, the only type Connect runs as one.
   */
  public asOutboundWhisperFlow(): IOutboundWhisperFlow {
    if (this.type !== ContactFlowType.OUTBOUND_WHISPER) {
      throw new Error(`${this.node.path}: is a ${this.type} flow; only an OUTBOUND_WHISPER flow can be a queue's outbound whisper flow`);
    }
    return this;
  }

  private read(file: string) {
    try {
      // Bounded and encoding-aware, as `check` reads files: a UTF-16 export synthesizes the same as a UTF-8 one.
      const read = readFlowExport(readFlowFile(file), file);
      // The ARN mapping below walks every value of the flow.
      assertFlowNesting(read.flow, file);
      return read;
    } catch (e) {
      if (e instanceof CallerIdInputError) throw new Error(`${this.node.path}: ${e.message}`);
      throw e;
    }
  }

  private flowType(file: string, given: ContactFlowType | undefined, inFile: ContactFlowType | undefined): ContactFlowType {
    if (given !== undefined && !(Object.values(ContactFlowType) as string[]).includes(given)) {
      throw new Error(`${this.node.path}: type ${JSON.stringify(given)} is not one of ${Object.values(ContactFlowType).join(', ')}`);
    }
    if (given !== undefined && inFile !== undefined && given !== inFile) {
      throw new Error(`${this.node.path}: type is ${given} but ${file} is a ${inFile} flow; ` +
        'Connect runs a flow by its type, so remove type or export the flow of the type you mean');
    }
    const type = given ?? inFile;
    if (type === undefined) {
      throw new Error(`${this.node.path}: ${file} does not say its flow type (no ContactFlow.Type or Metadata.type); ` +
        `set type, one of ${Object.values(ContactFlowType).join(', ')}`);
    }
    return type;
  }
}

/**
 * An ARN: partition, service, region (empty for global services), account (empty for some), and a resource
 * part that runs to the next character no ARN contains.
 */
const ARN = /arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:[A-Za-z0-9_+=,.@\-/:*]+/g;

function mapArns(flow: FlowDocument, arnMap: Record<string, string>): FlowDocument {
  const mapString = (s: string): string => s.replace(ARN, (arn) => (Object.prototype.hasOwnProperty.call(arnMap, arn) ? arnMap[arn] : arn));
  return mapStrings(flow, mapString) as FlowDocument;
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines properties rather than assigning them, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  }
  return value;
}

interface ForeignArn {
  readonly arn: string;
  readonly places: string[];
}

/**
 * The ARNs in the flow that cannot work in the target: Connect resources of another instance, and anything
 * of another account or region. When the target instance is known only at deploy time, every ARN is
 * reported, since none can be vouched for.
 */
function foreignArns(flow: FlowDocument, instanceArn: string): ForeignArn[] {
  const target = Token.isUnresolved(instanceArn) ? undefined : instanceArn.split(':');
  const targetInstance = Token.isUnresolved(instanceArn) ? undefined : instanceIdOf(instanceArn);
  const found = new Map<string, string[]>();
  const visit = (value: unknown, place: string): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(ARN)) {
        const arn = match[0];
        const [, , service, region, account] = arn.split(':');
        const instance = instanceIdOf(arn);
        const foreign = target === undefined
          || (service === 'connect' && instance !== undefined && instance !== targetInstance)
          || (account !== '' && account !== target[4])
          || (region !== '' && region !== target[3]);
        if (!foreign) continue;
        const places = found.get(arn) ?? [];
        if (!places.includes(place)) places.push(place);
        found.set(arn, places);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${place}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, place ? `${place}.${k}` : k);
    }
  };
  flow.Actions.forEach((action: FlowAction) => visit(action.Parameters, `action ${action.Identifier} Parameters`));
  if (flow.Metadata) visit(flow.Metadata, 'Metadata');
  return [...found.entries()].map(([arn, places]) => ({ arn, places }));
}

function unmappedMessage(path: string, file: string, foreign: readonly ForeignArn[], instanceArn: string): string {
  const target = Token.isUnresolved(instanceArn) ? 'an instance known only at deploy time' : instanceArn;
  const lines = foreign.map((f) => `  - ${f.arn} (${f.places.join('; ')})`);
  const example = foreign[0].arn;
  return `${path}: ${file} names resources that ${target} cannot use, exported with the flow from its source instance:\n` +
    `${lines.join('\n')}\n` +
    `Map each to this stack's value with arnMap, e.g. arnMap: { '${example}': ${counterpart(example)} }; ` +
    'map an ARN to itself to keep it';
}

/** How the user most likely holds this stack's counterpart of an ARN, for the example in the message. */
function counterpart(arn: string): string {
  if (/:function:/.test(arn)) return 'fn.functionArn';
  if (/\/queue\//.test(arn)) return 'queue.attrQueueArn';
  if (/\/prompt\//.test(arn)) return 'prompt.attrPromptArn';
  if (/\/contact-flow\//.test(arn)) return 'flow.attrContactFlowArn';
  return "'<this stack's ARN>'";
}
