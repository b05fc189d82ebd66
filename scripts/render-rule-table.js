#!/usr/bin/env node
// Rewrites the README's rule table from the rule catalogue (run after `npm run build`).
const fs = require('fs');
const path = require('path');
const { renderRuleTable } = require('../dist/lib/core/catalogue');

const file = path.join(__dirname, '..', 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const start = '<!-- rules:start -->\n';
const end = '<!-- rules:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error('README.md has no <!-- rules:start --> ... <!-- rules:end --> block');
fs.writeFileSync(file, readme.slice(0, from + start.length) + renderRuleTable() + readme.slice(to));
