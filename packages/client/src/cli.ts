import { runCli } from "./cli/main.js";

// The SDK's notice about its future Node support is not something a CLI user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
process.exitCode = await runCli(process.argv.slice(2));
