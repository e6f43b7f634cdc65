'use strict';
// Builds dist/index.html from the template in src/page.html.
const fs = require('fs');
const path = require('path');

const template = fs.readFileSync(path.join(__dirname, 'src', 'page.html'), 'utf8');
const html = template.split('{{SERVED_BY}}').join('node-build-static');
const dist = path.join(__dirname, 'dist');
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, 'index.html'), html);
console.log('built dist/index.html (' + Buffer.byteLength(html) + ' bytes)');
