import { CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { createHash } from 'crypto';
import { MAX_NUMBERS_PER_RESOURCE } from '../core/deploy-time-check';
import { handlerAssetPath } from './handler-asset';
import { requireValidations } from './report';


const RESOURCE_TYPE = 'Custom::ConnectCallerIdCheck';

const checksByStack = new WeakMap<Stack, Map<string, CallerIdVerification>>();

interface Chunk {
  readonly resource: CustomResource;
  readonly numbers: string[];
  /** Construct paths using each number, by index. */
  readonly users: string[][];
}

interface Slot {
  readonly chunk: Chunk;
  readonly index: number;
}

/**
 * The deploy-time check of one stack against one instance: lists the instance's numbers with
 * `ListPhoneNumbersV2` when the stack deploys, refuses the deployment if any used number is not claimed, and
 * returns the phone-number ARNs that queues need.
 */
export class CallerIdVerification extends Construct {
  /** The check of `stack` against `targetArn`, created on first use. */
  public static forTarget(stack: Stack, targetArn: string): CallerIdVerification {
    let byTarget = checksByStack.get(stack);
    if (!byTarget) checksByStack.set(stack, byTarget = new Map());
    let check = byTarget.get(targetArn);
    if (!check) {
      check = new CallerIdVerification(stack, `ConnectCallerIdCheck${hash(stack.resolve(targetArn))}`, targetArn);
      byTarget.set(targetArn, check);
    }
    return check;
  }

  private readonly slots = new Map<string, Slot>();
  private readonly chunks: Chunk[] = [];
  private readonly guardNumbers = new Set<string>();
  private readonly guardUsers: string[] = [];

  private constructor(scope: Stack, id: string, private readonly targetArn: string) {
    super(scope, id);
  }

  /**
   * Registers `number` as used by `user` (which then deploys only after the check passed) and returns a token
   * for the number's phone-number ARN.
   */
  public use(user: IConstruct, number: string): string {
    // Tokens are keyed by what they resolve to, so two references to one parameter share a slot.
    const key = Token.isUnresolved(number) ? JSON.stringify(Stack.of(this).resolve(number)) : number;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = this.allocate(number);
      this.slots.set(key, slot);
    }
    const users = slot.chunk.users[slot.index];
    if (!users.includes(user.node.path)) users.push(user.node.path);
    user.node.addDependency(slot.chunk.resource);
    return slot.chunk.resource.getAttString(`Arn${slot.index}`);
  }

  /**
   * Registers the numbers a call-time guard of `user` lets through, so a number the inventory lists but the
   * instance no longer claims fails the deployment instead of passing the guard. No ARNs come back for them, so
   * they all go on the first check resource, whatever their count.
   */
  public guard(user: IConstruct, numbers: readonly string[]): void {
    const chunk = this.chunks[0] ?? this.newChunk(0);
    for (const n of numbers) this.guardNumbers.add(n);
    if (!this.guardUsers.includes(user.node.path)) this.guardUsers.push(user.node.path);
    user.node.addDependency(chunk.resource);
  }

  private allocate(number: string): Slot {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.numbers.length >= MAX_NUMBERS_PER_RESOURCE) chunk = this.newChunk(this.chunks.length);
    chunk.numbers.push(number);
    chunk.users.push([]);
    return { chunk, index: chunk.numbers.length - 1 };
  }

  private newChunk(index: number): Chunk {
    const numbers: string[] = [];
    const users: string[][] = [];
    const stack = Stack.of(this);
    const resource = new CustomResource(this, `Check${index}`, {
      serviceToken: CallerIdCheckProvider.of(stack).serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: {
        TargetArn: this.targetArn,
        Numbers: Lazy.list({ produce: () => numbers }),
        UsedBy: Lazy.list({ produce: () => users.map((u) => u.join(', ')) }),
        PhysicalId: `connect-caller-id-check-${hash(stack.resolve(this.targetArn))}-${index}`,
        ...(index === 0 ? {
          GuardNumbers: Lazy.list({ produce: () => [...this.guardNumbers] }, { omitEmpty: true }),
          GuardUsedBy: Lazy.list({ produce: () => this.guardUsers }, { omitEmpty: true }),
        } : {}),
      },
    });
    // Each check lists the whole instance; one at a time keeps a large stack's checks within Connect's API quota.
    const previous = this.chunks[this.chunks.length - 1];
    if (previous) resource.node.addDependency(previous.resource);
    const chunk = { resource, numbers, users };
    this.chunks.push(chunk);
    return chunk;
  }
}

/** The Lambda function and provider behind every check of one stack. */
class CallerIdCheckProvider extends Construct {
  public static of(stack: Stack): CallerIdCheckProvider {
    const id = 'ConnectCallerIdCheckProvider';
    return (stack.node.tryFindChild(id) as CallerIdCheckProvider | undefined) ?? new CallerIdCheckProvider(stack, id);
  }

  public readonly serviceToken: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Roles of our own, with inline policies scoped to the functions' own log groups, instead of the managed
    // AWSLambdaBasicExecutionRole, which allows writing to every log group of the account.
    const handlerLogs = new logs.LogGroup(this, 'HandlerLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    const handlerRole = new iam.Role(this, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    handlerLogs.grantWrite(handlerRole);
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['connect:ListPhoneNumbersV2'], resources: ['*'] }));

    const onEvent = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(handlerAssetPath()),
      timeout: Duration.minutes(5),
      memorySize: 256,
      role: handlerRole,
      logGroup: handlerLogs,
      description: 'Verifies at deploy time that the caller ID numbers used in the stack are claimed in Amazon Connect',
    });

    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    const frameworkRole = new iam.Role(this, 'FrameworkRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    frameworkLogs.grantWrite(frameworkRole);
    const provider = new Provider(this, 'Provider', { onEventHandler: onEvent, frameworkOnEventRole: frameworkRole, logGroup: frameworkLogs });
    this.serviceToken = provider.serviceToken;

    // Reasons for what policy checks such as cdk-nag's AwsSolutions pack report on these resources.
    requireValidations();
    Validations.of(handlerRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'connect:ListPhoneNumbersV2 is the only action granted; it is granted on all resources because its '
        + 'resource-level scoping is not documented, and a scoped grant that the service does not match would deny the check.',
    });
    Validations.of(frameworkRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(onEvent.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: "aws-cdk-lib's Provider framework grants lambda:InvokeFunction on the check handler's versions and aliases; "
        + 'it is limited to that one function.',
    });
    Validations.of(onEvent).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The handler is bundled for and tested on Node.js 22 (esbuild target node22); the runtime moves with this '
        + 'package, not with the newest runtime Lambda offers.',
    });
  }
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8).toUpperCase();
}

