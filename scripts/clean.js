// Empties dist/ before every build, so a file whose source was deleted or renamed is never packed or run.
const fs = require('fs');
const path = require('path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
