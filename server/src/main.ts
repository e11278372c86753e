/**
 * The Tributary language server over stdio (`node dist/server/main.js --stdio`): one server
 * object, built here; nothing else lives at module level.
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { TributaryServer } from "./tributary-server.js";

const connection = createConnection(ProposedFeatures.all);
const server = new TributaryServer(connection);
// Never let one bad input end the session: log what escaped a handler and keep answering.
process.on("uncaughtException", (error) => connection.console.error(`Tributary: uncaught ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) => connection.console.error(`Tributary: unhandled rejection ${String(reason instanceof Error ? reason.stack : reason)}`));
server.listen();
