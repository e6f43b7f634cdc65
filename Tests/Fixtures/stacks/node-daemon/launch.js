// Starts the server detached, in its own session, and exits at once (like `pm2 start` or a
// `nohup ... &` start script): the start command ends with 0 while the app runs on.
const { spawn } = require('child_process');
const child = spawn(process.execPath, ['server.js'], { detached: true, stdio: 'ignore' });
child.unref();
console.log('started server.js as pid ' + child.pid);
