// The names that filters on fd.*ip.name resolved, with their addresses:
// sysdig's DNS cache (sinsp_dns_manager). A filter comparing an address with
// a name resolves the name and keeps it; from then on the fd.*ip.name fields
// print that name for any of its addresses (the first name holding the
// address, in the order the names came). Per run (resetDnsNames).

interface Entry { v4: ReadonlySet<number>; v6: readonly Buffer[] }

const names = new Map<string, Entry>();
/** Counts resets: a matcher that kept its name in an earlier run keeps it again. */
let generation = 1;

/** The current run's number (changes on every reset). */
export function dnsGeneration(): number {
  return generation;
}

/** Keeps a name a filter resolved (the first resolution stays). */
export function rememberName(name: string, v4: ReadonlySet<number>, v6: readonly Buffer[]): void {
  if (!names.has(name)) names.set(name, { v4, v6 });
}

/** The name kept for an address (4 bytes: IPv4, 16: IPv6), or undefined. */
export function nameOfAddress(addr: Buffer): string | undefined {
  if (names.size === 0) return undefined;
  if (addr.length === 4) {
    const k = addr.readUInt32LE(0);
    for (const [name, e] of names) if (e.v4.has(k)) return name;
    return undefined;
  }
  for (const [name, e] of names) for (const a of e.v6) if (a.equals(addr)) return name;
  return undefined;
}

/** A new run starts with no names. */
export function resetDnsNames(): void {
  names.clear();
  generation++;
}
