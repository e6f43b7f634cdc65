'use strict';
// Fails at once, like a server whose module is missing.
process.stderr.write("Error: Cannot find module './routes'\n");
process.stderr.write('Require stack:\n- ' + __filename + '\n');
process.exit(1);
