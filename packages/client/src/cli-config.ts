import { type HclBlock, renderHclAttributes, renderHclBlock } from "@tf-lambda/protocol";

/** A provider installation method: which providers it serves, by `hostname/namespace/type` pattern. */
interface InstallationScope {
  include?: readonly string[];
  exclude?: readonly string[];
}

export interface ProviderInstallation {
  /** Providers from a directory laid out as terraform's filesystem mirror. */
  filesystemMirror?: InstallationScope & { path: string };
  /** Providers from a network mirror (`https://...`). */
  networkMirror?: InstallationScope & { url: string };
  /** Providers from their origin registries; `true` for all. */
  direct?: InstallationScope | true;
}

export interface CliConfigOptions {
  /** API tokens by host: `{ "app.terraform.io": "..." }` (a private registry or HCP Terraform). */
  credentials?: Readonly<Record<string, string>>;
  providerInstallation?: ProviderInstallation;
  pluginCacheDir?: string;
  /** Turns off terraform's update and security-bulletin checks. */
  disableCheckpoint?: boolean;
}

function scopeAttributes(scope: InstallationScope): Record<string, string[] | undefined> {
  return {
    include: scope.include ? [...scope.include] : undefined,
    exclude: scope.exclude ? [...scope.exclude] : undefined,
  };
}

/**
 * Terraform CLI configuration (`.terraformrc`) as HCL text, for a run's `cliConfig`. Every value is escaped, so
 * a token holding quotes, backslashes or `${` stays a literal. The runtime redacts the tokens from results.
 *
 * @example
 * const text = cliConfig({
 *   credentials: { "registry.acme.dev": process.env.REGISTRY_TOKEN ?? "" },
 *   providerInstallation: { networkMirror: { url: "https://mirror.acme.dev/providers/" } },
 * });
 * await client.plan({ dir: "./infra", cliConfig: text });
 */
export function cliConfig(options: CliConfigOptions): string {
  let text = renderHclAttributes({
    plugin_cache_dir: options.pluginCacheDir,
    disable_checkpoint: options.disableCheckpoint,
  });
  for (const [host, token] of Object.entries(options.credentials ?? {})) {
    text += renderHclBlock({ type: "credentials", labels: [host], attributes: { token } });
  }
  const installation = options.providerInstallation;
  if (installation) {
    const methods: HclBlock[] = [];
    if (installation.filesystemMirror) {
      const { path, ...scope } = installation.filesystemMirror;
      methods.push({ type: "filesystem_mirror", attributes: { path, ...scopeAttributes(scope) } });
    }
    if (installation.networkMirror) {
      const { url, ...scope } = installation.networkMirror;
      methods.push({ type: "network_mirror", attributes: { url, ...scopeAttributes(scope) } });
    }
    if (installation.direct) {
      methods.push({
        type: "direct",
        attributes: installation.direct === true ? {} : scopeAttributes(installation.direct),
      });
    }
    text += renderHclBlock({ type: "provider_installation", blocks: methods });
  }
  return text;
}
