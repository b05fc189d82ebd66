import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { CallerId, ClaimedNumber, ClaimedNumbers, ClaimedPhoneNumber, PhoneNumberType } from '../lib';
import { inventoryContextKey } from '../lib/core/inventory';
import { exampleInventoryDocument } from './support/fixtures';
import { INSTANCE_ARN, warningsOf } from './support/stacks';

const phoneNumbers = (stack: Stack) => Template.fromStack(stack).findResources('AWS::Connect::PhoneNumber');

/** A stack whose looked-up inventory also lists `listed`, as `connect-caller-id lookup` writes it. */
function stackListing(listed: ClaimedNumber[]): { stack: Stack; numbers: ClaimedNumbers } {
  const doc = exampleInventoryDocument();
  const app = new App({ context: { [inventoryContextKey(INSTANCE_ARN)]: { ...doc, numbers: [...doc.numbers, ...listed] } } });
  const stack = new Stack(app, 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  return { stack, numbers: ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN }) };
}

describe('a claimed number is kept', () => {
  test('GIVEN claimNumber with no removal policy THEN DeletionPolicy and UpdateReplacePolicy are Retain', () => {
    const stack = new Stack();
    ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] }).claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    const [claim] = Object.values<any>(phoneNumbers(stack));
    expect(claim.DeletionPolicy).toBe('Retain');
    expect(claim.UpdateReplacePolicy).toBe('Retain');
  });

  test('GIVEN removalPolicy DESTROY, or applyRemovalPolicy, THEN the number is released with the stack', () => {
    const stack = new Stack();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] });
    numbers.claimNumber('Lab', { countryCode: 'JP', type: PhoneNumberType.DID, removalPolicy: RemovalPolicy.DESTROY });
    numbers.claimNumber('Trial', { countryCode: 'JP', type: PhoneNumberType.DID }).applyRemovalPolicy(RemovalPolicy.DESTROY);
    for (const claim of Object.values<any>(phoneNumbers(stack))) {
      expect(claim.DeletionPolicy).toBe('Delete');
      expect(claim.UpdateReplacePolicy).toBe('Delete');
    }
  });

  test('removalPolicy SNAPSHOT, which a phone number does not have, is refused', () => {
    const numbers = ClaimedNumbers.fromNumbers(new Stack(), 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] });
    expect(() => numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID, removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/Default\/Numbers\/Sales: removalPolicy SNAPSHOT does not apply to a phone number/);
  });
});

describe('the logical id of a claim', () => {
  /** The claim's logical id when its ClaimedNumbers has id `numbersId` under `parent` construct ids. */
  const logicalIdWith = (numbersId: string, ...parents: string[]) => {
    const stack = new Stack();
    let scope: Construct = stack;
    for (const p of parents) scope = new Construct(scope, p);
    ClaimedNumbers.fromNumbers(scope, numbersId, { instanceArn: INSTANCE_ARN, numbers: [] })
      .claimNumber('Sales-Line', { countryCode: 'JP', type: PhoneNumberType.DID });
    return Object.keys(phoneNumbers(stack));
  };

  test('GIVEN no logicalId THEN the claim has the path-derived id every earlier version gave it, so an upgrade keeps every number', () => {
    const [id] = logicalIdWith('Numbers');
    expect(id).toMatch(/^NumbersSalesLine[0-9A-F]{8}$/);
    // The same path gives the same id: the number is kept across synths and upgrades.
    expect(logicalIdWith('Numbers')).toEqual([id]);
  });

  test('GIVEN a pinned logicalId THEN renaming or moving the ClaimedNumbers keeps it, so its number', () => {
    const pinnedWith = (numbersId: string, ...parents: string[]) => {
      const stack = new Stack();
      let scope: Construct = stack;
      for (const p of parents) scope = new Construct(scope, p);
      ClaimedNumbers.fromNumbers(scope, numbersId, { instanceArn: INSTANCE_ARN, numbers: [] })
        .claimNumber('Sales-Line', { countryCode: 'JP', type: PhoneNumberType.DID, logicalId: 'SalesLine' });
      return Object.keys(phoneNumbers(stack));
    };
    expect(pinnedWith('Numbers')).toEqual(['SalesLine']);
    expect(pinnedWith('Inventory')).toEqual(['SalesLine']);
    expect(pinnedWith('Numbers', 'Telephony', 'Tokyo')).toEqual(['SalesLine']);
    // Without the pin, the move changes the id (a new claim): the reason to pin before refactoring.
    expect(logicalIdWith('Inventory')).not.toEqual(logicalIdWith('Numbers'));
  });

  test('logicalId pins it, e.g. to the id an earlier layout gave it', () => {
    const stack = new Stack();
    ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] })
      .claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID, logicalId: 'NumbersSales8D6E4F21' });
    expect(Object.keys(phoneNumbers(stack))).toEqual(['NumbersSales8D6E4F21']);
    expect(() => new ClaimedPhoneNumber(stack, 'Bad', { targetArn: INSTANCE_ARN, countryCode: 'JP', type: PhoneNumberType.DID, logicalId: 'a-b' }))
      .toThrow(/Default\/Bad: logicalId "a-b" must be a letter then up to 254 letters and digits/);
  });

  test('GIVEN two claims of one stack pinned to one logical id THEN the second is refused, naming the first', () => {
    const stack = new Stack();
    const other = 'arn:aws:connect:ap-northeast-1:123456789012:instance/0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
    ClaimedNumbers.fromNumbers(stack, 'Tokyo', { instanceArn: INSTANCE_ARN, numbers: [] })
      .claimNumber('Main', { countryCode: 'JP', type: PhoneNumberType.DID, logicalId: 'MainLine' });
    const osaka = ClaimedNumbers.fromNumbers(stack, 'Osaka', { instanceArn: other, numbers: [] });
    expect(() => osaka.claimNumber('Main', { countryCode: 'JP', type: PhoneNumberType.DID, logicalId: 'MainLine' }))
      .toThrow(/Default\/Osaka\/Main: its logical id MainLine is already the logical id of Default\/Tokyo\/Main[\s\S]*logical id of its own/);
  });

  test('the default description names the claim\'s construct path, which is how a later synth recognises the number', () => {
    const stack = new Stack(new App(), 'Centre');
    ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] }).claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    expect(Object.values<any>(phoneNumbers(stack))[0].Properties.Description).toBe('Claimed by Centre/Numbers/Sales');
  });
});

describe('CLAIM_REPLACED: a change that would replace a claim', () => {
  const listed = (type: PhoneNumberType, number = '+815098765432'): ClaimedNumber =>
    ({ number, type, countryCode: 'JP', description: 'Claimed by Centre/Numbers/Sales' });
  const replaced = (stack: Stack) => warningsOf(stack).filter((w) => w.message.includes('[CLAIM_REPLACED]'));

  test('GIVEN the inventory lists the claim\'s number as a DID WHEN the claim asks for TOLL_FREE THEN an acknowledgeable warning names the number', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE });
    expect(replaced(stack)).toEqual([{
      path: '/Centre/Numbers/Sales',
      message: expect.stringMatching(/recognised by its description "Claimed by Centre\/Numbers\/Sales" as \+815098765432, but is now declared with type TOLL_FREE \(the number is DID\)[\s\S]*\+815098765432 stays claimed by the instance but is no longer managed by this stack/),
    }]);
  });

  test('GIVEN the same country, type and a prefix the number has THEN nothing is reported', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID, prefix: '+8150' });
    expect(replaced(stack)).toEqual([]);
  });

  test('GIVEN a prefix the listed number does not start with, or another country THEN it is reported', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    numbers.claimNumber('Sales', { countryCode: 'US', type: PhoneNumberType.DID, prefix: '+1206', removalPolicy: RemovalPolicy.DESTROY });
    const [warning] = replaced(stack);
    expect(warning.message).toContain('countryCode US (the number is in JP), prefix +1206 (the number does not start with it)');
    expect(warning.message).toContain('is released (the removal policy is not RETAIN)');
  });

  test('GIVEN a user description THEN that is what recognises the number; a claim no listed number matches is new', () => {
    const { stack, numbers } = stackListing([{ ...listed(PhoneNumberType.DID), description: 'Sales line, Tokyo' }]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE, description: 'Sales line, Tokyo' });
    numbers.claimNumber('Support', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE });
    expect(replaced(stack).map((w) => w.path)).toEqual(['/Centre/Numbers/Sales']);
  });

  test('the warning is acknowledged like every other', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    const claim = numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE });
    CallerId.acknowledgeWarning(claim, 'CLAIM_REPLACED', 'moving the sales line to a toll-free number on purpose');
    expect(replaced(stack)).toEqual([]);
  });

  test('GIVEN applyRemovalPolicy(DESTROY) after the claim THEN the warning says the number is released, from the policy in force', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE }).applyRemovalPolicy(RemovalPolicy.DESTROY);
    const [warning] = replaced(stack);
    expect(warning.message).toContain('+815098765432 is released (the removal policy is not RETAIN)');
    expect(warning.message).not.toContain('stays claimed');
  });

  test('GIVEN removalPolicy DESTROY then applyRemovalPolicy(RETAIN) THEN the warning says the number stays claimed', () => {
    const { stack, numbers } = stackListing([listed(PhoneNumberType.DID)]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.TOLL_FREE, removalPolicy: RemovalPolicy.DESTROY })
      .applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(replaced(stack)[0].message).toContain('+815098765432 stays claimed by the instance');
  });
});

describe('CLAIM_MOVED: a renamed or moved claim claims a new number', () => {
  const listedAs = (description: string, number = '+815098765432'): ClaimedNumber =>
    ({ number, type: PhoneNumberType.DID, countryCode: 'JP', description });
  const moved = (stack: Stack) => warningsOf(stack).filter((w) => w.message.includes('[CLAIM_MOVED]'));
  /** The logical id aws-cdk-lib gives a claim `Sales` of a ClaimedNumbers `Numbers` in a stack of its own: what a deployed template has. */
  const deployedSalesId = () => {
    const earlier = new Stack(new App(), 'Centre');
    ClaimedNumbers.fromNumbers(earlier, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] }).claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    return Object.keys(phoneNumbers(earlier))[0];
  };

  test('GIVEN the inventory lists the number of Centre/Numbers/Sales WHEN the claim is renamed THEN a warning names the number, the old path and the id to pin', () => {
    const { stack, numbers } = stackListing([listedAs('Claimed by Centre/Numbers/Sales')]);
    numbers.claimNumber('SalesLine', { countryCode: 'JP', type: PhoneNumberType.DID });
    const id = deployedSalesId();
    expect(id).toMatch(/^NumbersSales[0-9A-F]{8}$/);
    expect(moved(stack)).toEqual([{
      path: '/Centre/Numbers',
      message: expect.stringContaining(`+815098765432 is described "Claimed by Centre/Numbers/Sales", so it was claimed by a claim at Centre/Numbers/Sales, ` +
        'and the stack Centre has no claim there now'),
    }]);
    const [warning] = moved(stack);
    expect(warning.message).toContain('deploying claims a new number for it');
    expect(warning.message).toContain(`pin the claim's logicalId to the id the deployed template gives it (${id}, unless it was pinned to another`);
    expect(warning.message).toContain('if the claim was removed on purpose, acknowledge CLAIM_MOVED for +815098765432');
  });

  test('GIVEN a claim moved under another construct THEN it is reported too; pinned to the deployed id THEN it is not', () => {
    const unpinned = stackListing([listedAs('Claimed by Centre/Numbers/Sales')]);
    new Construct(unpinned.stack, 'Telephony');
    const movedNumbers = ClaimedNumbers.fromLookup(new Construct(unpinned.stack, 'Tokyo'), 'Numbers', { instanceArn: INSTANCE_ARN });
    movedNumbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    // Two ClaimedNumbers of the instance list the number: it is reported once.
    expect(moved(unpinned.stack).map((w) => w.path)).toEqual(['/Centre/Numbers']);

    const pinned = stackListing([listedAs('Claimed by Centre/Numbers/Sales')]);
    const tokyo = ClaimedNumbers.fromLookup(new Construct(pinned.stack, 'Tokyo'), 'Numbers', { instanceArn: INSTANCE_ARN });
    tokyo.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID, logicalId: deployedSalesId() });
    expect(moved(pinned.stack)).toEqual([]);
    expect(Object.keys(phoneNumbers(pinned.stack))).toEqual([deployedSalesId()]);
  });

  test('GIVEN the claim still at its path, with its own description, or a number of another stack or a user description THEN nothing is reported', () => {
    const { stack, numbers } = stackListing([
      listedAs('Claimed by Centre/Numbers/Sales'),
      listedAs('Claimed by Centre/Numbers/Support', '+815098765433'),
      listedAs('Claimed by Osaka/Numbers/Sales', '+815098765434'),
      listedAs('Sales line, Tokyo', '+815098765435'),
      listedAs('Claimed by Centre/Numbers/Billing', '+815098765436'),
    ]);
    numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    numbers.claimNumber('Support', { countryCode: 'JP', type: PhoneNumberType.DID, description: 'Support line' });
    numbers.claimNumber('Helpdesk', { countryCode: 'JP', type: PhoneNumberType.DID, description: 'Claimed by Centre/Numbers/Billing' });
    expect(moved(stack)).toEqual([]);
  });

  test('GIVEN the claim removed on purpose THEN the warning is acknowledged for that number only', () => {
    const { stack, numbers } = stackListing([listedAs('Claimed by Centre/Numbers/Sales'), listedAs('Claimed by Centre/Numbers/Lab', '+815098765439')]);
    numbers.claimNumber('Support', { countryCode: 'JP', type: PhoneNumberType.DID });
    CallerId.acknowledgeWarning(numbers, 'CLAIM_MOVED', 'the sales line was given up', { number: '+815098765432' });
    expect(moved(stack).map((w) => w.message)).toEqual([expect.stringContaining('+815098765439 is described "Claimed by Centre/Numbers/Lab"')]);
  });

  test('the stack is judged once its tree is complete: a claim added after the ClaimedNumbers counts', () => {
    const { stack } = stackListing([listedAs('Claimed by Centre/Late/Sales')]);
    new ClaimedPhoneNumber(new Construct(stack, 'Late'), 'Sales', { targetArn: INSTANCE_ARN, countryCode: 'JP', type: PhoneNumberType.DID });
    expect(moved(stack)).toEqual([]);
  });
});
