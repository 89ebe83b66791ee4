// Errors the formatter reports with sysdig's own message (the CLI prints the
// message alone on stderr and exits with status 1; an empty message means
// sysdig exits without printing anything).

export class FormatError extends Error {}
