// Opens an in-memory database on node:sqlite, then emits another ExperimentalWarning of its own:
// the SQLite warning must not reach stderr, and every other warning must.
import { openSqliteConnection } from "../../runtime/src/store/sqlite-driver.js";

const db = openSqliteConnection(":memory:", { driver: "node:sqlite" });
db.exec("CREATE TABLE t (x)");
db.close();
process.emitWarning("Something else is an experimental feature", "ExperimentalWarning");
process.stdout.write("opened\n");
