// Runs every graphql-http server audit against URL; exits non-zero on any warning or error.
import { serverAudits } from 'graphql-http';
const url = process.argv[2];
let ok = 0, warn = 0, err = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  if (result.status === 'ok') ok++;
  else if (result.status === 'warn') { warn++; console.log(`WARN ${audit.name}: ${result.reason}`); }
  else { err++; console.log(`ERROR ${audit.name}: ${result.reason}`); }
}
console.log(`graphql-http audits: ${ok} ok, ${warn} warnings, ${err} errors`);
process.exit(err || warn ? 1 : 0);
