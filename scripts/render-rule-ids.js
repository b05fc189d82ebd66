#!/usr/bin/env node
// Writes lib/core/rule-id.ts, the RuleId enum, from the rule catalogue of a compiled build (`npm run build:all`
// first). The enum is what languages other than TypeScript have of the rule ids (jsii carries enums, not the
// catalogue's constants); test/rule-id.test.ts keeps the file equal to what this renders.
const fs = require('fs');
const path = require('path');

const FILE = path.join(__dirname, '..', 'lib', 'core', 'rule-id.ts');

/** The TypeScript source of the RuleId enum for these rule definitions. */
function renderRuleIds(rules) {
  const comment = (text) => text.replace(/\*\//g, '*\\/').replace(/\n/g, ' ');
  const members = rules.map((r) => `  /** ${comment(r.trigger)} */\n  ${r.id} = '${r.id}',\n`).join('');
  return '// Generated from the rule catalogue (ALL_RULES) by scripts/render-rule-ids.js; test/rule-id.test.ts keeps it equal.\n\n' +
    '/** The id of every rule of the catalogue, as findings and acknowledgements name them. */\n' +
    `export enum RuleId {\n${members}}\n`;
}

module.exports = { FILE, renderRuleIds };

if (require.main === module) {
  const { ALL_RULES } = require(path.join(__dirname, '..', 'dist', 'lib', 'core', 'catalogue.js'));
  fs.writeFileSync(FILE, renderRuleIds(ALL_RULES));
  console.log(`${ALL_RULES.length} rule ids written to ${path.relative(process.cwd(), FILE)}`);
}
