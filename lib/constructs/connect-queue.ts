import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { isInstanceResourceArn } from '../core/connect-arn';

/** An Amazon Connect queue: an `OutboundQueue` of this app, or one imported with `ConnectQueue.fromQueueArn`. */
export interface IConnectQueue extends IConstruct {
  /** The queue's ARN (`arn:<partition>:connect:<region>:<account>:instance/<id>/queue/<id>`). */
  readonly queueArn: string;
}

/** Queues defined outside this app. */
export class ConnectQueue {
  /** A queue defined elsewhere, by ARN. */
  public static fromQueueArn(scope: Construct, id: string, queueArn: string): IConnectQueue {
    const queue = new ImportedQueue(scope, id, queueArn);
    if (!Token.isUnresolved(queueArn) && !isInstanceResourceArn(queueArn, 'queue')) {
      throw new Error(`${queue.node.path}: queueArn ${JSON.stringify(queueArn)} is not a queue ARN; ` +
        'expected arn:<partition>:connect:<region>:<account>:instance/<instance id>/queue/<queue id>');
    }
    return queue;
  }

  private constructor() {}
}

class ImportedQueue extends Construct implements IConnectQueue {
  constructor(scope: Construct, id: string, public readonly queueArn: string) {
    super(scope, id);
  }
}
