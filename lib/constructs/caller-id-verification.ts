import { CfnResource, CustomResource, Duration, Fn, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { createHash } from 'crypto';
import {
  ARN_PREFIX_ATTRIBUTE, CallerIdCheckProperties, CHECK_RESOURCE_TYPE, CheckedNumber, CheckedUse, MAX_RETURNED_ARNS, arnAttributeOfNumber,
} from '../core/deploy-time-check';
import { CallerIdContext } from '../core/rule-definition';
import { handlerAssetPath } from './handler-asset';
import { computeLogicalIdOnce } from './logical-id';
import { requireValidations } from './report';

/** How a construct uses a number, for the rules the check applies to it at deploy time. */
export interface NumberUse {
  readonly context: CallerIdContext;
  /**
   * The static destination of the call, for the rules about where a caller ID may call.
   * @default - none: the destination rules do not apply
   */
  readonly destination?: string;
}

/** Environment variable through which the handler learns its log group, which it names in failure reasons. */
export const LOG_GROUP_ENVIRONMENT_VARIABLE = 'CALLER_ID_CHECK_LOG_GROUP';

/** The newest Node.js runtime the pinned aws-cdk-lib offers; scripts/bundle-handler.js bundles for it (node24). */
const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** The function's timeout; the handler keeps its own deadline 15 s before it, to answer with a reason. */
const HANDLER_TIMEOUT_SECONDS = 300;
/**
 * How long CloudFormation waits for the check's answer (`ServiceTimeout`, 1 to 3600 s, default 3600): the
 * function's timeout and a minute, so a function that dies without answering fails the deployment promptly.
 */
const SERVICE_TIMEOUT = Duration.seconds(HANDLER_TIMEOUT_SECONDS + 60);

/** Why a user depends on the check, as aws-cdk-lib records it (given, so it does not build one from both paths per user). */
const DEPENDENCY_REASON = 'it uses caller ID numbers the deploy-time check verifies';

const checksByStack = new WeakMap<Stack, Map<string, CallerIdVerification>>();

interface Entry {
  /** The number, or a token that resolves to it at deploy time. */
  readonly number: string;
  /** What the entries are sorted by: the number, or the token as it resolves in the template. */
  readonly sortKey: string;
  readonly uses: Map<string, CheckedUse>;
  arn?: string;
  arnAttribute?: string;
}

/**
 * The deploy-time check of one stack against one instance: a single `Custom::ConnectCallerIdCheck` that lists
 * each target (the instance and the traffic distribution groups whose numbers it may use) once when the stack
 * deploys, refuses the deployment if a used number is not claimed or breaks a country or number-type rule,
 * and returns the phone-number ARNs that queues need and the inventory does not record.
 */
export class CallerIdVerification extends Construct {
  /**
   * The check of `stack` against the instance, created on first use.
   *
   * @param targetArns what the check lists: the instance first, then traffic distribution groups
   */
  public static forInstance(stack: Stack, instanceArn: string, targetArns: readonly string[] = [instanceArn]): CallerIdVerification {
    let byInstance = checksByStack.get(stack);
    if (!byInstance) checksByStack.set(stack, byInstance = new Map());
    let check = byInstance.get(instanceArn);
    if (!check) {
      const id = `ConnectCallerIdCheck${hash(stack.resolve(instanceArn))}`;
      refuseOtherCopy(stack, id, `the deploy-time check for ${instanceArn}`);
      check = new CallerIdVerification(stack, id, targetArns);
      byInstance.set(instanceArn, check);
    }
    return check;
  }

  private readonly resource: CustomResource;
  private readonly entries = new Map<string, Entry>();
  private readonly guardNumbers = new Set<string>();
  private readonly guardUses = new Map<string, CheckedUse>();
  private returnedArns = 0;

  private constructor(scope: Stack, id: string, targetArns: readonly string[]) {
    super(scope, id);
    const properties: Record<keyof CallerIdCheckProperties, unknown> = {
      TargetArns: [...targetArns],
      Numbers: Lazy.any({ produce: () => this.renderNumbers() }),
      GuardNumbers: Lazy.list({ produce: () => [...this.guardNumbers].sort() }, { omitEmpty: true }),
      GuardUsedBy: Lazy.any({ produce: () => sortedUses(this.guardUses) }, { omitEmptyArray: true }),
    };
    // Not `Check`, the id of the resource that aws-cdk-lib's provider framework served before 0.3: CloudFormation
    // refuses to change a custom resource's ServiceToken, so the check of an upgraded stack is a new resource.
    this.resource = new CustomResource(this, 'Verification', {
      serviceToken: CallerIdCheckProvider.of(scope).serviceToken,
      resourceType: CHECK_RESOURCE_TYPE,
      serviceTimeout: SERVICE_TIMEOUT,
      properties,
    });
    // Every user's DependsOn names this resource: its logical id is resolved once for each of them.
    computeLogicalIdOnce(this.resource.node.defaultChild as CfnResource);
  }

  /** Registers `number` as used by `user`, which then deploys only after the check passed. */
  public use(user: IConstruct, number: string, use: NumberUse): void {
    this.register(user, number, use);
    this.dependOnCheck(user);
  }

  /**
   * Registers `number` as the caller ID number of the queue `user` and returns the phone-number ARN the queue
   * takes: `inventoryArn`, which the check verifies against the listing, or else the ARN the check returns.
   */
  public useForQueue(user: IConstruct, number: string, inventoryArn: string | undefined): string {
    const entry = this.register(user, number, { context: CallerIdContext.QUEUE });
    if (inventoryArn !== undefined) {
      entry.arn = inventoryArn;
      this.dependOnCheck(user);
      return inventoryArn;
    }
    if (entry.arnAttribute === undefined) {
      if (this.returnedArns >= MAX_RETURNED_ARNS) {
        throw new Error(`${user.node.path}: the deploy-time check of stack ${Stack.of(this).stackName} already returns the phone-number ARNs ` +
          `of ${MAX_RETURNED_ARNS} caller ID numbers that the inventory records no ARN for, the most that fit in CloudFormation's ` +
          `4096-byte custom resource response; ${Token.isUnresolved(number) ? 'this queue\'s number' : number} would be one more. ` +
          'Record each number\'s arn in the inventory (connect-caller-id lookup does; ClaimedNumbers.fromNumbers takes arn), so the check ' +
          'only verifies it, or move some of the queues to another stack');
      }
      this.returnedArns++;
      // A token's attribute is named after what it resolves to in the template, as stable as the number itself.
      entry.arnAttribute = Token.isUnresolved(number) ? `T${hash(entry.sortKey)}` : arnAttributeOfNumber(number);
    }
    // The reference makes the queue depend on the check; a DependsOn beside it would be redundant.
    return Fn.join('', [this.resource.getAttString(ARN_PREFIX_ATTRIBUTE), this.resource.getAttString(entry.arnAttribute)]);
  }

  /**
   * Registers the numbers a call-time guard of `user` lets through, so a number the inventory lists but the
   * target no longer claims fails the deployment instead of passing the guard. No ARNs come back for them, so
   * their count does not matter.
   */
  public guard(user: IConstruct, numbers: readonly string[], context: CallerIdContext): void {
    for (const n of numbers) this.guardNumbers.add(n);
    const guardUse = checkedUse(user, { context });
    this.guardUses.set(useKey(guardUse), guardUse);
    this.dependOnCheck(user);
  }

  /**
   * Makes `user` deploy only after the check passed. When the user is one resource (a CfnResource, or a construct
   * whose only child is its default resource) the DependsOn goes straight onto that resource: the template is the
   * same as with a construct-level dependency, which aws-cdk-lib instead resolves at synth for each user by
   * walking both construct trees, a measurable share of the synth time at a thousand users. Any other user (a
   * queue asks for its number before it creates its resource) keeps the construct-level dependency.
   */
  private dependOnCheck(user: IConstruct): void {
    const resource = CfnResource.isCfnResource(user) ? user : user.node.defaultChild;
    const single = resource !== undefined && CfnResource.isCfnResource(resource) && resource.node.children.length === 0
      && (resource === user || user.node.children.length === 1);
    if (single) {
      // A DependsOn on the one resource costs synth far less than a construct dependency, which aws-cdk-lib
      // resolves by walking both trees. The peer floor (aws-cdk-lib 2.252) has only addDependency, which later
      // versions deprecate in favour of addResourceDependency: use whichever the installed version has.
      const target = resource as CfnResource & { addResourceDependency?: (other: CfnResource, reason?: string) => void };
      const check = this.resource.node.defaultChild as CfnResource;
      if (typeof target.addResourceDependency === 'function') target.addResourceDependency(check, DEPENDENCY_REASON);
      else target.addDependency(check);
    } else {
      user.node.addDependency(this.resource);
    }
  }

  private register(user: IConstruct, number: string, use: NumberUse): Entry {
    // Tokens are keyed by what they resolve to, so two references to one parameter share an entry.
    const key = Token.isUnresolved(number) ? JSON.stringify(Stack.of(this).resolve(number)) : number;
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, entry = { number, sortKey: key, uses: new Map() });
    const checked = checkedUse(user, use);
    entry.uses.set(useKey(checked), checked);
    return entry;
  }

  private renderNumbers(): CheckedNumber[] {
    return [...this.entries.values()]
      .sort((a, b) => compare(a.sortKey, b.sortKey))
      .map((e) => ({
        Number: e.number,
        UsedBy: sortedUses(e.uses),
        ...(e.arn !== undefined ? { Arn: e.arn } : {}),
        ...(e.arnAttribute !== undefined ? { ArnAttribute: e.arnAttribute } : {}),
      }));
  }
}

function checkedUse(user: IConstruct, use: NumberUse): CheckedUse {
  return { Path: user.node.path, Context: use.context, ...(use.destination !== undefined ? { Destination: use.destination } : {}) };
}

function useKey(use: CheckedUse): string {
  return `${use.Path}\n${use.Context}\n${use.Destination ?? ''}`;
}

function sortedUses(uses: ReadonlyMap<string, CheckedUse>): CheckedUse[] {
  return [...uses.entries()].sort(([a], [b]) => compare(a, b)).map(([, u]) => u);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The Lambda function and provider behind every check of one stack. */
const providers = new WeakMap<Stack, CallerIdCheckProvider>();

/**
 * Throws when another copy of this package (a construct library's, of another version) already added `id` to the
 * stack: the check and its handler are one contract of one version, so they cannot be shared between copies.
 */
function refuseOtherCopy(stack: Stack, id: string, what: string): void {
  if (stack.node.tryFindChild(id) === undefined) return;
  throw new Error(`${stack.node.path}: two copies of cdk-connect-caller-id in this app both add ${what} to this stack (${id}). ` +
    'Install one copy: `npm ls cdk-connect-caller-id` shows which packages bring each; align their versions, then `npm dedupe`');
}

/**
 * The Lambda function behind every check of one stack: one function, its role and its log group, as L1
 * resources. CloudFormation invokes the function itself; aws-cdk-lib's Node.js custom resource entry point,
 * bundled beside the handler (`__entrypoint__.js`, see scripts/bundle-handler.js), answers CloudFormation's
 * presigned URL with what the handler returns or throws. Without aws-cdk-lib's provider framework, a stack has
 * three resources for the check's function instead of eight, and a deployment one Lambda invocation instead of
 * two. A function that dies without answering (out of memory) fails the check after `SERVICE_TIMEOUT`, not an hour.
 */
class CallerIdCheckProvider extends Construct {
  public static of(stack: Stack): CallerIdCheckProvider {
    let provider = providers.get(stack);
    if (!provider) {
      const id = 'ConnectCallerIdCheckProvider';
      refuseOtherCopy(stack, id, 'the deploy-time check\'s handler');
      providers.set(stack, provider = new CallerIdCheckProvider(stack, id));
    }
    return provider;
  }

  public readonly serviceToken: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = new CfnLogGroup(this, 'HandlerLogs', { retentionInDays: 365 });
    logs.applyRemovalPolicy(RemovalPolicy.DESTROY);
    // A role of its own with an inline policy scoped to the function's own log group, instead of the managed
    // AWSLambdaBasicExecutionRole, which allows writing to every log group of the account.
    const role = new CfnRole(this, 'HandlerRole', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      policies: [{
        policyName: 'ConnectCallerIdCheck',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: logs.attrArn },
            { Action: 'connect:ListPhoneNumbersV2', Effect: 'Allow', Resource: '*' },
          ],
        },
      }],
    });
    const asset = lambda.Code.fromAsset(handlerAssetPath());
    const { s3Location } = asset.bind(this);
    const fn = new lambda.CfnFunction(this, 'Handler', {
      runtime: HANDLER_RUNTIME.name,
      handler: '__entrypoint__.handler',
      code: { s3Bucket: s3Location!.bucketName, s3Key: s3Location!.objectKey },
      timeout: HANDLER_TIMEOUT_SECONDS,
      memorySize: 256,
      role: role.attrArn,
      loggingConfig: { logGroup: logs.ref },
      environment: { variables: { [LOG_GROUP_ENVIRONMENT_VARIABLE]: logs.ref } },
      description: 'Verifies at deploy time that the caller ID numbers used in the stack are claimed in Amazon Connect',
    });
    // Asset metadata, so tools such as SAM find the function's code in the cloud assembly.
    asset.bindToResource(fn);
    this.serviceToken = fn.attrArn;

    // Reasons for what policy checks such as cdk-nag's AwsSolutions pack report on these resources.
    requireValidations();
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'connect:ListPhoneNumbersV2 is the only action granted; it is granted on all resources because its '
        + 'resource-level scoping is not documented, and a scoped grant that the service does not match would deny the check.',
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The handler runs on Node.js 24, the newest Node.js runtime aws-cdk-lib 2.276 offers, and is bundled for it '
        + '(esbuild target node24); the runtime moves with this package, tested, not with whatever runtime Lambda adds next.',
    });
  }
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8).toUpperCase();
}
