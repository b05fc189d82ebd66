import * as fs from 'fs';
import { RuleId } from '../lib';
import { ALL_RULES } from '../lib/core/catalogue';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FILE, renderRuleIds } = require('../scripts/render-rule-ids.js') as { FILE: string; renderRuleIds: (rules: typeof ALL_RULES) => string };

describe('RuleId, the rule ids as an enum for every language', () => {
  test('has exactly the catalogue\'s ids, in its order', () => {
    expect(Object.values(RuleId)).toEqual(ALL_RULES.map((r) => r.id));
  });

  test('lib/core/rule-id.ts is what scripts/render-rule-ids.js renders from the catalogue (run it after changing a rule)', () => {
    expect(fs.readFileSync(FILE, 'utf8')).toBe(renderRuleIds(ALL_RULES));
  });
});
