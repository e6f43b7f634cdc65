'use strict';
// Keeps running forever and never listens on any port.
console.log('starting...');
setInterval(() => {}, 1000);
