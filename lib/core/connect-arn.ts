import { Severity } from './findings';
import { RuleDefinition } from './rule-definition';

/** What a Connect ARN names, as far as where it may be written is concerned. */
export enum ConnectArnKind {
  /** `...:instance/<id>`: what queues, flows and campaigns take. */
  INSTANCE = 'instance',
  /** `...:traffic-distribution-group/<id>`: Global Resiliency; only a phone number's `TargetArn` takes one. */
  TRAFFIC_DISTRIBUTION_GROUP = 'traffic-distribution-group',
  /** Anything inside an instance: `...:instance/<id>/queue/<id>`, `.../contact-flow/<id>`, ... */
  INSIDE_INSTANCE = 'inside-instance',
  /** `...:phone-number/<id>`: the form queues take and `ListPhoneNumbersV2` returns. */
  PHONE_NUMBER = 'phone-number',
  /**
   * `...:instance/<id>/phone-number/<id>`: the form the older `ListPhoneNumbers` returns, which queues refuse. Inside an
   * instance too: it has `instanceArn` and `path` like `INSIDE_INSTANCE`.
   */
  INSTANCE_PHONE_NUMBER = 'instance-phone-number',
}

/** The parts of a Connect ARN. */
export interface ConnectArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly kind: ConnectArnKind;
  /** The id after `instance/` (also for an ARN inside an instance), `traffic-distribution-group/` or `phone-number/`. */
  readonly id: string;
  /** For `INSIDE_INSTANCE` and `INSTANCE_PHONE_NUMBER`: the instance's own ARN. */
  readonly instanceArn?: string;
  /** For `INSIDE_INSTANCE` and `INSTANCE_PHONE_NUMBER`: what follows the instance id, e.g. `queue/<id>`. */
  readonly path?: string;
  /** For both phone-number kinds: the number's id. */
  readonly phoneNumberId?: string;
}

// Linear: each part is a run of characters the next separator cannot be part of.
// What follows an instance id may hold any character an ARN's resource part does.
const CONNECT_ARN = /^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\d{12}):(instance|traffic-distribution-group|phone-number)\/([A-Za-z0-9-]+)(\/[A-Za-z0-9_+=,.@\-/:*]+)?$/;

/** Parses a Connect ARN of the kinds above; undefined for anything else (including a token). */
export function parseConnectArn(arn: string): ConnectArn | undefined {
  const m = CONNECT_ARN.exec(arn);
  if (!m) return undefined;
  const [, partition, region, account, type, id, rest] = m;
  if (rest !== undefined) {
    if (type !== 'instance' || rest === '/' || rest.endsWith('/')) return undefined;
    const instanceArn = `arn:${partition}:connect:${region}:${account}:instance/${id}`;
    const path = rest.slice(1);
    const phoneNumberId = INSTANCE_PHONE_NUMBER_PATH.exec(path)?.[1];
    if (phoneNumberId !== undefined) {
      return { arn, partition, region, account, kind: ConnectArnKind.INSTANCE_PHONE_NUMBER, id, instanceArn, path, phoneNumberId };
    }
    return { arn, partition, region, account, kind: ConnectArnKind.INSIDE_INSTANCE, id, instanceArn, path };
  }
  if (type === 'phone-number') return { arn, partition, region, account, kind: ConnectArnKind.PHONE_NUMBER, id, phoneNumberId: id };
  const kind = type === 'instance' ? ConnectArnKind.INSTANCE : ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP;
  return { arn, partition, region, account, kind, id };
}

const INSTANCE_PHONE_NUMBER_PATH = /^phone-number\/([A-Za-z0-9-]+)$/;

/** Whether the ARN names something inside an instance (an instance-form phone-number ARN included). */
function isInsideInstance(parsed: ConnectArn | undefined): boolean {
  return parsed?.kind === ConnectArnKind.INSIDE_INSTANCE || parsed?.kind === ConnectArnKind.INSTANCE_PHONE_NUMBER;
}

/** Whether an ARN is the `phone-number/<id>` form queues accept. */
export function isPhoneNumberArn(arn: string): boolean {
  return parseConnectArn(arn)?.kind === ConnectArnKind.PHONE_NUMBER;
}

/**
 * Converts the `instance/<id>/phone-number/<id>` form (from the old ListPhoneNumbers API, which queues
 * reject) into the form queues accept; undefined when `arn` is not of that form.
 */
export function toPhoneNumberArn(arn: string): string | undefined {
  const parsed = parseConnectArn(arn);
  if (parsed?.kind !== ConnectArnKind.INSTANCE_PHONE_NUMBER) return undefined;
  return `arn:${parsed.partition}:connect:${parsed.region}:${parsed.account}:phone-number/${parsed.phoneNumberId}`;
}

/** The instance id of an instance ARN, or of an ARN inside an instance; undefined otherwise. */
export function instanceIdOf(arn: string): string | undefined {
  const parsed = parseConnectArn(arn);
  return parsed?.kind === ConnectArnKind.INSTANCE || isInsideInstance(parsed) ? parsed!.id : undefined;
}

/** Whether `arn` names a resource of type `resource` (`queue`, `contact-flow`) directly inside an instance. */
export function isInstanceResourceArn(arn: string, resource: string): boolean {
  const parsed = parseConnectArn(arn);
  if (!isInsideInstance(parsed)) return false;
  const [type, id, ...rest] = parsed!.path!.split('/');
  return type === resource && id !== undefined && id.length > 0 && rest.length === 0;
}

/** Whether `arn` is a traffic distribution group ARN. */
export function isTrafficDistributionGroupArn(arn: string): boolean {
  return parseConnectArn(arn)?.kind === ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP;
}

/**
 * Why `value` cannot stand where CloudFormation wants an instance ARN, with the fix; undefined when it is an
 * instance ARN. `property` names where it was written (`instanceArn`, `InstanceArn`).
 */
export function instanceArnProblem(property: string, value: string): string | undefined {
  const parsed = parseConnectArn(value);
  if (parsed?.kind === ConnectArnKind.INSTANCE) return undefined;
  const expected = 'arn:<partition>:connect:<region>:<account>:instance/<instance id>';
  if (parsed?.kind === ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP) {
    return `${property} ${value} is a traffic distribution group ARN, but queues, flows and campaigns take the instance ARN ` +
      `(${expected}; CloudFormation refuses anything else). Give the ARN of the instance the group belongs to, and list the group ` +
      `as a traffic distribution group of its ClaimedNumbers (trafficDistributionGroupArns: ['${value}']) so its numbers count as claimed`;
  }
  if (isInsideInstance(parsed)) {
    return `${property} ${value} is the ARN of something inside an instance; give the instance ARN ${parsed!.instanceArn}`;
  }
  return `${property} ${JSON.stringify(value)} is not a Connect instance ARN; expected ${expected}`;
}

const TDG_IN_INSTANCE_SLOT: RuleDefinition = {
  id: 'INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP', severity: Severity.ERROR,
  trigger: 'A traffic distribution group ARN where CloudFormation takes an instance ARN (a queue\'s or flow\'s `InstanceArn`, a campaign\'s instance).',
  fix: 'Write the instance ARN there; a traffic distribution group ARN belongs only in a phone number\'s `TargetArn`, and its numbers are listed by giving the group to `ClaimedNumbers` (`trafficDistributionGroupArns`).',
  source: 'CloudFormation `AWS::Connect::Queue`, `AWS::Connect::ContactFlow`: InstanceArn pattern `...:instance/<id>` (cfn-lint E3031); `AWS::Connect::PhoneNumber`: TargetArn takes an instance or traffic distribution group',
};

/** The rule `CallerIdChecks` reports for a traffic distribution group ARN in an instance's place. */
export const ConnectArnRules = { INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP: TDG_IN_INSTANCE_SLOT } as const;
