// Usage: node sink.mjs <port> <folder> [plain|starttls|ssl <key.pem> <cert.pem>]. Listens on 127.0.0.1:<port>
// (0 = any free port), accepts any (or no) login, and writes each message as <n>.eml plus <n>.json (envelope:
// from, to, user, secure). "ssl" is TLS from the first byte (port 465 style), "starttls" offers the upgrade.
// Prints "listening <port>" once ready.
import { SMTPServer } from "smtp-server";
import fs from "node:fs";
import path from "node:path";

const [port, folder] = [Number(process.argv[2] ?? 0), process.argv[3]];
const [mode, keyFile, certFile] = [process.argv[4] ?? "plain", process.argv[5], process.argv[6]];
const tls = mode === "plain" ? {} : { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
fs.mkdirSync(folder, { recursive: true });
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  secure: mode === "ssl",
  disabledCommands: mode === "starttls" ? [] : ["STARTTLS"],
  ...tls,
  logger: false,
  onAuth(auth, session, callback) { callback(null, { user: auth.username }); },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", c => chunks.push(c));
    stream.on("end", () => {
      const id = `${Date.now()}-${++n}`;
      const envelope = { from: session.envelope.mailFrom?.address, to: session.envelope.rcptTo.map(r => r.address), user: session.user ?? null, secure: Boolean(session.secure) };
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
