// Uploads one file to a Switchboard server with the official tus client (tus-js-client, Node API), the way
// any non-.NET client would. Usage:
//   node tus-upload.mjs <endpoint> <access-token> <file> <sha256-hex> [chunk-size-bytes]
// Prints the upload URL on success; on failure prints the error and exits with 1.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tus from 'tus-js-client';

const [endpoint, token, path, sha256, chunkSize] = process.argv.slice(2);
if (!endpoint || !token || !path || !sha256) {
  console.error('usage: node tus-upload.mjs <endpoint> <access-token> <file> <sha256-hex> [chunk-size-bytes]');
  process.exit(2);
}

const data = readFileSync(path);
const upload = new tus.Upload(data, {
  endpoint,
  headers: { Authorization: `Bearer ${token}` },
  uploadSize: data.length,
  chunkSize: chunkSize ? Number(chunkSize) : Infinity,
  metadata: { filename: basename(path), filetype: 'application/octet-stream', sha256 },
  retryDelays: [0, 200, 1000],
  onError(error) {
    console.error(`upload failed: ${error.message}`);
    process.exit(1);
  },
  onSuccess() {
    console.log(upload.url);
  },
});
upload.start();
