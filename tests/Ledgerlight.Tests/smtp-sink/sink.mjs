// Usage: node sink.mjs <port> <folder>. Listens on 127.0.0.1:<port> (0 = any free port), accepts any
// (or no) login, and writes each message as <n>.eml plus <n>.json (envelope: from, to). Prints
// "listening <port>" once ready.
import { SMTPServer } from "smtp-server";
import fs from "node:fs";
import path from "node:path";

const [port, folder] = [Number(process.argv[2] ?? 0), process.argv[3]];
fs.mkdirSync(folder, { recursive: true });
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth(auth, session, callback) { callback(null, { user: auth.username }); },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", c => chunks.push(c));
    stream.on("end", () => {
      const id = `${Date.now()}-${++n}`;
      const envelope = { from: session.envelope.mailFrom?.address, to: session.envelope.rcptTo.map(r => r.address), user: session.user ?? null };
      fs.writeFileSync(path.join(folder, `${id}.eml.tmp`), Buffer.concat(chunks));
      fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(envelope));
      fs.renameSync(path.join(folder, `${id}.eml.tmp`), path.join(folder, `${id}.eml`));
      callback();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`listening ${server.server.address().port}`));
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
