'use strict';
// A build that fails like a TypeScript compile error: both lines go to stderr, exit status 2.
process.stderr.write('compiling...\n');
process.stderr.write("error TS2304: Cannot find name 'foo'\n");
process.exitCode = 2;
