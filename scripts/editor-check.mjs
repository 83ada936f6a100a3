// Checks that an editor gets Evident's schema diagnostics: runs yaml-language-server (npm) over
// LSP on each YAML file given, and prints the diagnostics it publishes as JSON lines
// `{"file": ..., "messages": [...]}`. The files carry the `# yaml-language-server: $schema=`
// modeline that `evident init` writes, so nothing else tells the server which schema applies.
//
// Usage: node scripts/editor-check.mjs SERVER_BIN FILE...
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [server, ...files] = process.argv.slice(2);
const child = spawn(server, ["--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = new Map();

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => pending.set(id, resolve));
}
child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString("utf8"));
    buffer = buffer.subarray(end + 4 + length);
    if (message.id !== undefined && pending.has(message.id)) {
      pending.get(message.id)(message.result);
      pending.delete(message.id);
    } else if (message.method === "textDocument/publishDiagnostics") {
      diagnostics.set(message.params.uri, message.params.diagnostics);
    } else if (message.id !== undefined && message.method) {
      // Requests from the server (configuration, registrations): answer with settings.
      const result = message.method === "workspace/configuration"
        ? message.params.items.map(() => ({ validate: true, completion: true, hover: true, schemaStore: { enable: false } }))
        : null;
      send({ id: message.id, result });
    }
  }
});

const root = pathToFileURL(process.cwd()).href;
await request("initialize", { processId: process.pid, rootUri: root, capabilities: { workspace: { configuration: true } } });
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings: { yaml: { validate: true, schemaStore: { enable: false } } } } });
const uris = files.map((f) => pathToFileURL(path.resolve(f)).href);
files.forEach((f, i) => {
  send({ method: "textDocument/didOpen", params: { textDocument: { uri: uris[i], languageId: "yaml", version: 1, text: readFileSync(f, "utf8") } } });
});
const deadline = Date.now() + 20000;
while (uris.some((u) => !diagnostics.has(u)) && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
}
for (let i = 0; i < files.length; i++) {
  const list = diagnostics.get(uris[i]);
  console.log(JSON.stringify({ file: files[i], published: list !== undefined, messages: (list ?? []).map((d) => d.message) }));
}
child.kill();
process.exit(0);
