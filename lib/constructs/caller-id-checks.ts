import { IAspect, Stage } from 'aws-cdk-lib';
import { CfnContactFlow, CfnQueue } from 'aws-cdk-lib/aws-connect';
import * as campaignsV1 from 'aws-cdk-lib/aws-connectcampaigns';
import * as campaignsV2 from 'aws-cdk-lib/aws-connectcampaignsv2';
import { IConstruct } from 'constructs';
import { AppIndex, resourceKind } from './app-index';
import { CallProgressFlow } from './call-progress-flow';
import { ClaimedNumbers } from './claimed-numbers';
import { ExportedFlow } from './exported-flow';
import { OutboundCampaign } from './outbound-campaign';
import { OutboundQueue } from './outbound-queue';
import { OutboundWhisperFlow } from './outbound-whisper-flow';
import { ResourceCheck } from './raw-resource-check';
import { reportFindings } from './report';
import { TransferToPhoneNumberFlow } from './transfer-to-phone-number-flow';

/** Props for `CallerIdChecks`. */
export interface CallerIdChecksProps {
  /**
   * The claimed numbers of each Connect instance the checked resources belong to. A resource is judged
   * against the ClaimedNumbers whose `instanceArn` it names; when its instance is known only at deploy time,
   * against the only ClaimedNumbers given, if there is one.
   */
  readonly claimedNumbers: ClaimedNumbers[];
  /**
   * Numbers AWS Support approved as external caller IDs, each with what records the approval (e.g. the support
   * case id). They need not be claimed and are not verified at deploy time; the country rules still apply.
   * @default - none: every caller ID must be claimed
   */
  readonly approvedExternalNumbers?: Record<string, string>;
}

/**
 * Applies this library's caller ID rules to the raw Amazon Connect resources of an existing app: every
 * `CfnContactFlow` (the content, literal parts judged, deploy-time parts left to the deploy-time check),
 * `CfnQueue`, `CfnCampaign` (Connect campaigns v1 and v2) and `CfnPhoneNumber` (claims are trusted).
 *
 * ```ts
 * Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
 * ```
 *
 * Findings are reported on the resource's construct path with the same rule ids as the rest of the library;
 * warnings are acknowledged with `Validations.of(resource).acknowledge({ id: RULE_ID, reason })`. The numbers found are registered with the
 * deploy-time check of their ClaimedNumbers (unless `deployTimeCheck` is off), and the resource then deploys
 * only after that check has passed. Resources owned by this library's own constructs are skipped: those
 * constructs judge themselves.
 *
 * The whole tree under the scope the aspect is added to is judged when the aspect first visits that scope,
 * before it visits any child, so the constructs the deploy-time check adds are visited by the app's other
 * aspects (tags, for one) whether or not `@aws-cdk/core:aspectStabilization` is on. Nested stages are
 * synthesized before their parent's aspects run: add the aspect to each `Stage` too.
 */
export class CallerIdChecks implements IAspect {
  private readonly claimedNumbers: readonly ClaimedNumbers[];
  private readonly approvedExternalNumbers: Readonly<Record<string, string>>;
  private readonly visited = new WeakSet<IConstruct>();

  constructor(props: CallerIdChecksProps) {
    if (!props || !Array.isArray(props.claimedNumbers) || props.claimedNumbers.length === 0) {
      throw new Error('CallerIdChecks: claimedNumbers must list the ClaimedNumbers of at least one instance, ' +
        'e.g. new CallerIdChecks({ claimedNumbers: [ClaimedNumbers.fromLookup(stack, \'Numbers\', { instanceArn })] })');
    }
    this.claimedNumbers = [...props.claimedNumbers];
    this.approvedExternalNumbers = { ...props.approvedExternalNumbers };
  }

  public visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    let index: AppIndex | undefined;
    for (const construct of this.subtree(node)) {
      const kind = resourceKind(construct);
      if (kind === undefined || kind === 'phone-number' || judgedByItsConstruct(construct)) continue;
      index ??= new AppIndex(node.node.root);
      const check = new ResourceCheck(construct, this.claimedNumbers, this.approvedExternalNumbers, index);
      switch (kind) {
        case 'flow': check.flow(construct as CfnContactFlow); break;
        case 'queue': check.queue(construct as CfnQueue); break;
        case 'campaign-v1': check.campaignV1(construct as campaignsV1.CfnCampaign); break;
        case 'campaign-v2': check.campaignV2(construct as campaignsV2.CfnCampaign); break;
      }
      reportFindings(construct, check.findings);
    }
  }

  /** Every construct under `node` outside nested stages, marked visited so later visits of them do nothing. */
  private subtree(node: IConstruct): IConstruct[] {
    const found: IConstruct[] = [];
    const pending: IConstruct[] = [node];
    while (pending.length > 0) {
      const construct = pending.pop()!;
      this.visited.add(construct);
      found.push(construct);
      // Reversed onto the stack so that resources are judged, and reported, in the order they were defined.
      const children = construct.node.children.filter((child) => !Stage.isStage(child));
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
    return found;
  }
}

function judgedByItsConstruct(resource: IConstruct): boolean {
  const parent = resource.node.scope;
  const owner = OutboundQueue.isOutboundQueue(parent) || OutboundWhisperFlow.isOutboundWhisperFlow(parent)
    || TransferToPhoneNumberFlow.isTransferToPhoneNumberFlow(parent) || ExportedFlow.isExportedFlow(parent)
    || OutboundCampaign.isOutboundCampaign(parent) || CallProgressFlow.isCallProgressFlow(parent);
  return owner && parent.resource === resource;
}
