// Makes the built CLI executable (tsc does not keep the mode bit). Assets (model/, data/) are read in place.
import { chmodSync, existsSync } from "node:fs";
const cli = new URL("../dist/src/cli/main.js", import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
