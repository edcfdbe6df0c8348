#!/usr/bin/env node
// Placeholder entry point; wired up in the connector issue.
process.stdout.write('baton-xmatters\n');
