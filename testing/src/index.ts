export { type Emulator, type EmulatorOptions, type InvokeResponse, startEmulator } from "./emulator.js";
export { type MotoServer, startMoto } from "./moto.js";
export { freePort, waitForPort } from "./ports.js";
export { runTerraform, type TerraformRun } from "./terraform.js";
export {
  cacheDirectory,
  findTool,
  missingToolMessage,
  requireTool,
  type ToolName,
  toolOrSkip,
} from "./tools.js";
