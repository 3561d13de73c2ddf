import type { Adapter, Provider } from 'oidc-provider';

type ProviderClient = InstanceType<Provider['Client']>;
interface ClientModel {
  readonly adapter: Adapter;
  find(id: string): Promise<ProviderClient | undefined>;
}

/**
 * oidc-provider's Client.find reads the client's record, then looks up the client it built from
 * it by a SHA-256 of the record's JSON, serialised and hashed on every find (twice per
 * introspection, once per userinfo: ~10 µs of an introspection's CPU). Our Client adapter
 * (provider-client-adapter.ts) hands out the same frozen object for a record for as long as it
 * holds that record, so the client built from it is kept by that object: the same object is the
 * same record, hence the same client. A record that changes is read into a new object, and a
 * disabled or unknown client is no object at all: unknown it is, unless oidc-provider may know it
 * otherwise (`otherSources`: static clients, client ID metadata documents), when its own find decides.
 */
export function reuseBuiltClients(provider: Provider, { otherSources }: { readonly otherSources: boolean }): void {
  const Client = provider.Client as unknown as ClientModel;
  const find = Client.find.bind(Client);
  const built = new WeakMap<object, ProviderClient>();
  Client.find = async (id: string) => {
    if (typeof id !== 'string' || !id) return find(id);
    const record = await Client.adapter.find(id);
    if (!record) return otherSources ? find(id) : undefined;
    const known = built.get(record);
    if (known) return known;
    // oidc-provider reads the record again (the same object unless it changed meanwhile; a client
    // kept under an object no longer handed out is never found again)
    const client = await find(id);
    if (client) built.set(record, client);
    return client;
  };
}
