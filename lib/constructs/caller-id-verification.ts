import { CustomResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { createHash } from 'crypto';
import { handlerAssetPath } from './handler-asset';

/**
 * Numbers verified (and ARNs returned) by one custom resource. A response carries one ARN of about 90 bytes per
 * number, and CloudFormation refuses responses over 4096 bytes, so a stack's numbers are spread over as many
 * resources as needed.
 */
export const NUMBERS_PER_RESOURCE = 25;

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

  private allocate(number: string): Slot {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.numbers.length >= NUMBERS_PER_RESOURCE) chunk = this.newChunk(this.chunks.length);
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
    const onEvent = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(handlerAssetPath()),
      timeout: Duration.minutes(5),
      memorySize: 256,
      description: 'Verifies at deploy time that the caller ID numbers used in the stack are claimed in Amazon Connect',
    });
    // Only the listing call. ListPhoneNumbersV2 is granted on all resources because it is authorized against
    // the account's numbers rather than against the instance named in the request.
    onEvent.addToRolePolicy(new iam.PolicyStatement({
      actions: ['connect:ListPhoneNumbersV2'],
      resources: ['*'],
    }));
    const provider = new Provider(this, 'Provider', { onEventHandler: onEvent });
    this.serviceToken = provider.serviceToken;
  }
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8).toUpperCase();
}

