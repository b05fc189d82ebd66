// Empties dist/ (and removes the jsii assembly) before every build, so a file whose source was deleted or renamed
// is never packed or run, and a failed jsii compile leaves no stale .jsii behind.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
for (const entry of ['dist', '.jsii', 'dist-jsii']) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
