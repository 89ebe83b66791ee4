// The layout of a socket fd's addresses in sysdig's state: one union
// (sinsp_sockinfo) of five structs, read through the struct of the fd's
// type. Writing one struct leaves the bytes only another one covers, and an
// fd whose type changes (a bound server socket that gets a tuple, a socket
// connected to an address of the other family) is read through its new
// struct over those bytes. sysdig's output shows them, so the engine keeps
// the union's bytes as they are and reads every address, port and protocol
// through the struct of the fd's type.
//
// Where the bytes come from: an fd made by an event starts zeroed; the fds
// of a thread in the capture's process list are all built in one object
// that is never cleared between them (sinsp_threadinfo::init), so each
// starts with the bytes the previous fd of that thread's list left; dup and
// fork copy them whole.

/** Bytes of the union (its largest struct, the IPv6 tuple, padded to 8). */
export const SOCKINFO_BYTES = 40;

/** ipv4tuple: m_sip, m_dip, m_sport, m_dport, m_l4proto. */
export const enum V4 { SIP = 0, DIP = 4, SPORT = 8, DPORT = 10, L4 = 12 }
/** ipv6tuple. */
export const enum V6 { SIP = 0, DIP = 16, SPORT = 32, DPORT = 34, L4 = 36 }
/** ipv4serverinfo: m_ip, m_port, m_l4proto. */
export const enum V4SERV { IP = 0, PORT = 4, L4 = 6 }
/** ipv6serverinfo. */
export const enum V6SERV { IP = 0, PORT = 16, L4 = 18 }
/** unix_tuple: m_source, m_dest (kernel pointers). */
export const enum UNIX { SOURCE = 0, DEST = 8 }

/** Where a connection's tuple sits: the IPv4 or IPv6 struct, and its address width. */
export interface TupleLayout { readonly SIP: number; readonly DIP: number; readonly SPORT: number; readonly DPORT: number; readonly L4: number; readonly n: 4 | 16 }
export const V4_TUPLE: TupleLayout = { SIP: V4.SIP, DIP: V4.DIP, SPORT: V4.SPORT, DPORT: V4.DPORT, L4: V4.L4, n: 4 };
export const V6_TUPLE: TupleLayout = { SIP: V6.SIP, DIP: V6.DIP, SPORT: V6.SPORT, DPORT: V6.DPORT, L4: V6.L4, n: 16 };

/** The union of an fd that never had one written. */
export const ZERO_SOCKINFO: Buffer = Buffer.alloc(SOCKINFO_BYTES);
