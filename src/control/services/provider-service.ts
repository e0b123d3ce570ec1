// ProviderService: CRUD over providers. Deleting a provider still named by a mapping or
// a chain is refused with the names of those users; the API key and the values of secret
// headers only ever go in; the live breaker state only ever comes out.
import type { ServiceImpl } from "@connectrpc/connect";
import type {
  CreateProviderRequest,
  DeleteProviderRequest,
  GetProviderRequest,
  HealthCheckSummary,
  ListProvidersRequest,
  ProviderService,
  UpdateProviderRequest,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../connect-errors.js";
import { ProviderRepository, type ProviderValues } from "../db/provider-repository.js";
import type { ProviderRow } from "../db/schema.js";
import {
  checkKindSettings,
  PROVIDER_OUTPUT_ONLY_FIELDS,
  PROVIDER_WRITABLE_FIELDS,
  providerToProto,
  providerValues,
} from "../mappers/provider-mapper.js";
import type { BreakerStatusView, ProviderStatusReader } from "../provider-status.js";
import { keepOmittedSecrets } from "../secret-headers.js";
import { checkHeaders, checkLookupId, checkSlug } from "../validation.js";
import { commitWrite, type WriteDeps } from "./committed-write.js";
import { listNames } from "./list-names.js";
import { pageOf, pageRequest } from "./pagination.js";
import { resolveMask } from "./update-mask.js";

/** Looks up the latest health-check summary of each provider, when health checks are wired. */
export type LastHealthChecks = (providerIds: readonly string[]) => ReadonlyMap<string, HealthCheckSummary>;

/** A breaker that has seen no traffic. */
const UNUSED_BREAKER: BreakerStatusView = {
  state: "closed",
  consecutiveFailures: 0,
  openedAt: null,
  retryAt: null,
};

/** What the provider service is built from. */
export interface ProviderServiceDeps extends WriteDeps {
  lastHealthChecks?: LastHealthChecks | undefined;
  /** Fills Provider.status from the data plane's breakers, when one runs in this process. */
  providerStatus?: ProviderStatusReader | undefined;
  /** The shortest health_check_interval other than 0; default 10 s (tests schedule faster). */
  minHealthCheckIntervalMs?: number | undefined;
}

/** The ProviderService handlers. */
export class ProviderServiceImpl implements ServiceImpl<typeof ProviderService> {
  constructor(private readonly deps: ProviderServiceDeps) {}

  private limits() {
    return { minHealthCheckIntervalMs: this.deps.minHealthCheckIntervalMs };
  }

  private toProto(rows: ProviderRow[]) {
    const summaries = this.deps.lastHealthChecks?.(rows.map((r) => r.id));
    const status = this.deps.providerStatus;
    return rows.map((row) =>
      providerToProto(row, {
        lastHealthCheck: summaries?.get(row.id),
        breaker: status === undefined ? undefined : (status(row.id) ?? UNUSED_BREAKER),
      }),
    );
  }

  /** Returns one provider. */
  getProvider(req: GetProviderRequest) {
    const id = checkLookupId("id", req.id);
    const row = new ProviderRepository(this.deps.db).find(id);
    if (row === undefined) throw notFound("provider", id);
    return { provider: this.toProto([row])[0] };
  }

  /** Returns one page of providers, ordered by id. */
  listProviders(req: ListProvidersRequest) {
    const page = pageRequest("providers", req);
    const rows = new ProviderRepository(this.deps.db).list({ afterId: page.afterId, limit: page.limit + 1 });
    const { items, nextPageToken } = pageOf("providers", rows, page.limit, (r) => r.id);
    return { providers: this.toProto(items), nextPageToken };
  }

  /** Creates a provider; the id must be free. */
  createProvider(req: CreateProviderRequest) {
    const p = req.provider;
    if (p === undefined) throw invalidArgument("provider", "is required");
    const id = checkSlug("provider.id", p.id);
    const values = { ...providerValues(p, PROVIDER_WRITABLE_FIELDS, this.limits()), id } as ProviderValues;
    checkKindSettings(values);
    const row = commitWrite(this.deps, { action: "create", resource: "provider", id }, (tx) => {
      const repo = new ProviderRepository(tx);
      if (repo.find(id) !== undefined) throw alreadyExists(`provider ${JSON.stringify(id)} already exists`);
      return repo.insert(values);
    });
    return { provider: this.toProto([row])[0] };
  }

  /**
   * Changes the fields in update_mask. With an empty mask every writable field is replaced,
   * except an empty api_key, which keeps the stored key, and secret headers the request
   * leaves out, which keep their values: neither is ever returned, so a read-modify-write
   * could not carry them. Naming api_key in the mask with no value clears it; naming headers
   * replaces the whole map, secret headers included.
   */
  updateProvider(req: UpdateProviderRequest) {
    const p = req.provider;
    if (p === undefined) throw invalidArgument("provider", "is required");
    const id = checkLookupId("provider.id", p.id);
    const mask = resolveMask(req.updateMask, {
      writable: PROVIDER_WRITABLE_FIELDS,
      outputOnly: PROVIDER_OUTPUT_ONLY_FIELDS,
    });
    const fields = [...mask.fields].filter((f) => mask.explicit || f !== "api_key" || p.apiKey !== "");
    const values = providerValues(p, fields, this.limits());
    const row = commitWrite(this.deps, { action: "update", resource: "provider", id }, (tx) => {
      const repo = new ProviderRepository(tx);
      const stored = repo.find(id);
      if (stored === undefined) throw notFound("provider", id);
      if (!mask.explicit && values.headers !== undefined) {
        values.headers = checkHeaders("provider.headers", keepOmittedSecrets(stored.headers, values.headers));
      }
      checkKindSettings({ ...stored, ...values });
      const updated = repo.update(id, values);
      if (updated === undefined) throw notFound("provider", id);
      return updated;
    });
    return { provider: this.toProto([row])[0] };
  }

  /** Deletes a provider no mapping or chain uses. */
  deleteProvider(req: DeleteProviderRequest) {
    const id = checkLookupId("id", req.id);
    commitWrite(this.deps, { action: "delete", resource: "provider", id }, (tx) => {
      const repo = new ProviderRepository(tx);
      if (repo.find(id) === undefined) throw notFound("provider", id);
      const { mappings, chains } = repo.references(id);
      if (mappings.length > 0 || chains.length > 0) {
        const users = [
          ...(mappings.length > 0 ? [`model mappings ${listNames(mappings)}`] : []),
          ...(chains.length > 0 ? [`fallback chains ${listNames(chains)}`] : []),
        ];
        throw failedPrecondition(
          `provider ${JSON.stringify(id)} is still used by ${users.join(" and ")}; ` +
            "point them at another provider or delete them first",
        );
      }
      repo.delete(id);
    });
    return {};
  }
}
