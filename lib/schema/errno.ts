// Errno names as sysdig 0.29.3 shows them next to a negative PT_ERRNO value,
// e.g. res=-2(ENOENT). Codes it has no name for are shown as the bare number.

// Runs of consecutive codes: [first code, names separated by whitespace].
const RUNS: readonly (readonly [number, string])[] = [
  [1, `EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT
    ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG
    ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY
    ELOOP`],
  [42, `ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL
    ENOANO EBADRQC EBADSLT`],
  [59, `EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO
    EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN
    ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE
    ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT
    EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS
    EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH
    EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM
    EMEDIUMTYPE ECANCELED`],
  [512, `ERESTARTSYS ERESTARTNOINTR ERESTARTNOHAND ENOIOCTLCMD ERESTART_RESTARTBLOCK`],
  [521, `EBADHANDLE ENOTSYNC EBADCOOKIE ENOTSUPP ETOOSMALL ESERVERFAULT EBADTYPE EJUKEBOX
    EIOCBQUEUED EIOCBRETRY`],
];

const NAMES: string[] = [];
for (const [first, names] of RUNS) {
  names.split(/\s+/).forEach((n, i) => {
    NAMES[first + i] = n;
  });
}

/** Errno names indexed by (positive) errno code; holes where sysdig has no name. */
export const ERRNO_NAMES: readonly (string | undefined)[] = Object.freeze(NAMES);

/** Name of a positive errno code (2 -> 'ENOENT'), undefined when sysdig 0.29.3 has none. */
export function errnoName(code: number): string | undefined {
  return NAMES[code];
}

/**
 * What sysdig 0.29.3 shows in parentheses after a PT_ERRNO value, or undefined
 * when it shows the number alone: only negative values are resolved, using the
 * low 32 bits of the value as the (negated) code.
 */
export function errnoResolve(res: number | bigint): string | undefined {
  if (typeof res === 'number') {
    if (!(res < 0)) return undefined;
    if (res >= -0x80000000) return NAMES[-res];
    res = BigInt(Math.trunc(res));
  }
  if (res >= 0n) return undefined;
  const low = Number(BigInt.asIntN(32, res));
  return low < 0 ? NAMES[-low] : undefined;
}
