import { Token } from 'aws-cdk-lib';
import { IClaimedPhoneNumber } from './claimed-numbers';

/** How a caller ID gets its value. */
export enum CallerIdKind {
  /** A number written in the app (a literal, or a token resolved at deploy time). */
  STATIC_NUMBER = 'STATIC_NUMBER',
  /** A number claimed in the same app with `ClaimedNumbers.claimNumber`. */
  CLAIMED_IN_APP = 'CLAIMED_IN_APP',
  /** A flow reference (`$.Attributes.x`, `$.External.x`, ...), known only during the call. */
  DYNAMIC = 'DYNAMIC',
  /** No caller ID of ours: the original caller's number is passed on, deliberately. */
  PASS_THROUGH = 'PASS_THROUGH',
}

/**
 * The caller ID number an outbound call or transfer presents.
 *
 * Values are judged by the construct that uses them, so every problem is reported with that construct's path.
 */
export class CallerId {
  /** A number in E.164, e.g. `+81368001234`. It must be claimed by the instance. */
  public static fromNumber(e164: string): CallerId {
    return new CallerId(CallerIdKind.STATIC_NUMBER, e164);
  }

  /** A number claimed in this app with `ClaimedNumbers.claimNumber`; trusted by construction. */
  public static fromClaimedNumber(claimed: IClaimedPhoneNumber): CallerId {
    return new CallerId(CallerIdKind.CLAIMED_IN_APP, claimed.address, claimed);
  }

  /** A user-defined contact attribute (`$.Attributes.<name>`) holding the number, checked during the call. */
  public static fromAttribute(name: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, `$.Attributes.${name}`);
  }

  /** A value returned by the last Lambda invocation (`$.External.<name>`), checked during the call. */
  public static fromExternal(name: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, `$.External.${name}`);
  }

  /** Any single flow-language JSONPath, e.g. `$.SystemEndpoint.Address` (the number the customer dialled). */
  public static fromPath(path: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, path);
  }

  /**
   * Sets no caller ID, so the original caller's number is passed on. Only transfers accept it; it is an explicit
   * choice because carriers often show such calls as anonymous or drop them.
   */
  public static passThrough(): CallerId {
    return new CallerId(CallerIdKind.PASS_THROUGH, undefined);
  }

  private constructor(
    public readonly kind: CallerIdKind,
    /** The number, the token that resolves to it, or the JSONPath; undefined for pass-through. */
    public readonly value: string | undefined,
    /** The in-app claim, for `CLAIMED_IN_APP`. */
    public readonly claimed?: IClaimedPhoneNumber,
  ) {}

  /** Whether the number is only known during the call. */
  public get isDynamic(): boolean {
    return this.kind === CallerIdKind.DYNAMIC;
  }

  /** Whether this is a literal number that can be judged at synth time. */
  public get isLiteralNumber(): boolean {
    return this.kind === CallerIdKind.STATIC_NUMBER && !Token.isUnresolved(this.value);
  }

  public toString(): string {
    switch (this.kind) {
      case CallerIdKind.PASS_THROUGH: return 'CallerId.passThrough()';
      case CallerIdKind.CLAIMED_IN_APP: return 'CallerId.fromClaimedNumber(...)';
      default: return Token.isUnresolved(this.value) ? '(a value resolved at deploy time)' : String(this.value);
    }
  }
}

/** Where a transfer goes: a static E.164 number or a reference resolved during the call. */
export class TransferDestination {
  /** A number in E.164, e.g. `+81368009999`. */
  public static fromNumber(e164: string): TransferDestination {
    return new TransferDestination(e164, false);
  }

  /** A user-defined contact attribute (`$.Attributes.<name>`). */
  public static fromAttribute(name: string): TransferDestination {
    return new TransferDestination(`$.Attributes.${name}`, true);
  }

  /** A value returned by the last Lambda invocation (`$.External.<name>`). */
  public static fromExternal(name: string): TransferDestination {
    return new TransferDestination(`$.External.${name}`, true);
  }

  /** Any single flow-language JSONPath. */
  public static fromPath(path: string): TransferDestination {
    return new TransferDestination(path, true);
  }

  private constructor(public readonly value: string, public readonly isDynamic: boolean) {}
}
