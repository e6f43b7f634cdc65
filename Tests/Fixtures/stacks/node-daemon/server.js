'use strict';
const http = require('http');

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Counter</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; font-size: 28px; background: #ffffff; color: #111111; margin: 40px; }
  h1 { font-size: 48px; margin: 0 0 8px 0; }
  .served { font-size: 18px; margin: 0 0 32px 0; color: #333333; }
  #count { margin: 0 0 24px 0; }
  button { font-family: "DejaVu Sans", sans-serif; font-size: 28px; padding: 10px 24px; }
</style>
</head>
<body>
<h1>Counter</h1>
<p class="served">Served by node-daemon</p>
<p id="count">Count: 0</p>
<button id="increment" type="button">Increment</button>
<script>
  var count = 0;
  document.getElementById('increment').addEventListener('click', function () {
    count += 1;
    document.getElementById('count').textContent = 'Count: ' + count;
  });
</script>
</body>
</html>
`;

const port = Number(process.env.PORT || 8000);
const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/' || url.pathname === '/index.html') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(PAGE);
    return;
  }
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end('not found\n');
});
// Listens a second late, so the start command has surely exited first (the daemon case).
setTimeout(() => {
  server.listen(port, "127.0.0.1", () => {
    console.log(`node-daemon listening on http://127.0.0.1:${port}/`);
  });
}, 1000);
