/** The `outpost` command line. Each area registers its own sub-commands. */
import { Command, CommanderError } from "commander";
import { registerManifestCommands } from "./commands/manifest.ts";
import { registerActivationCommands } from "./commands/activation.ts";
import { registerMailboxCommands } from "./commands/mailbox.ts";
import { registerServeCommands } from "./commands/serve.ts";
import { registerRunCommands } from "./commands/run.ts";
import { registerAuditCommands } from "./commands/audit.ts";
import { registerAddinCommands } from "./commands/addin.ts";
import { registerAdminCommands } from "./commands/admin.ts";
import { registerStoreCommands } from "./commands/store.ts";
import { registerIdentityCommands } from "./commands/identity.ts";
import { UsageError, reportFatal } from "./output.ts";
import { PACKAGE_VERSION } from "../package-root.ts";
import { PROTOCOL_VERSION } from "../runtime/bridge/version.ts";

const program = new Command();
program.name("outpost").description("A self-hosted Outlook add-in host: manifests, permissions, activation, mailbox and runtime under Outlook's rules.").version(`${PACKAGE_VERSION} (bridge protocol ${PROTOCOL_VERSION})`);
program.exitOverride();
program.configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerManifestCommands(program);
registerActivationCommands(program);
registerMailboxCommands(program);
registerServeCommands(program);
registerRunCommands(program);
registerAuditCommands(program);
registerAddinCommands(program);
registerAdminCommands(program);
registerStoreCommands(program);
registerIdentityCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`outpost: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    reportFatal(e);
  }
}
